import { presenceOf } from '#app/notifications';
import type { DeviceState, DeviceStatusRow, DeviceStatusView } from './device-status.model.js';

/** How far back "all its messages are refused" looks (the dashboard's other 24-hour figures use the same). */
export const REFUSED_WINDOW_MS = 24 * 3_600_000;

/** A stored presence row (or none) and the time now -> what the dashboard says. Pure. */
export function deviceStatusView(row: DeviceStatusRow, now: Date): DeviceStatusView {
  const state = stateOf(row);
  const since = state === 'CONNECTED' ? row.connectedAt : state === 'NEVER_CONNECTED' ? null : row.disconnectedAt;
  const away = state === 'OFFLINE' || state === 'UNPLUGGED';
  const windowStart = now.getTime() - REFUSED_WINDOW_MS;
  const storedRecently = row.lastTelemetryAt !== null && row.lastTelemetryAt.getTime() >= windowStart;
  const refused =
    row.rejectedCount !== null && row.rejectedCount > 0 && row.rejectedAt !== null && !storedRecently
      ? { count: row.rejectedCount, reason: row.rejectedReason ?? '', detail: row.rejectedDetail ?? '', lastAt: row.rejectedAt.toISOString() }
      : null;
  return {
    vin: row.vin,
    state,
    since: since?.toISOString() ?? null,
    offlineForSeconds: away && since !== null ? Math.max(0, Math.floor((now.getTime() - since.getTime()) / 1000)) : null,
    firmware: row.firmware,
    lastTelemetryAt: row.lastTelemetryAt?.toISOString() ?? null,
    allRefused: refused,
  };
}

/** The rule ingestion's live events use too (libs/notifications), so a page and its updates never disagree. */
function stateOf(row: DeviceStatusRow): DeviceState {
  return presenceOf(row.state === null ? null : { state: row.state, offlineReason: row.offlineReason });
}
