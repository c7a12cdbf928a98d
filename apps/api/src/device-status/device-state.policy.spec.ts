import { deviceStatusView } from './device-state.policy.js';
import type { DeviceStatusRow } from './device-status.model.js';

const NOW = new Date('2026-12-06T12:00:00.000Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

function row(overrides: Partial<DeviceStatusRow> = {}): DeviceStatusRow {
  return {
    vin: 'LCHDEM00000000001',
    lastTelemetryAt: null,
    state: null,
    offlineReason: null,
    connectedAt: null,
    disconnectedAt: null,
    firmware: null,
    rejectedCount: null,
    rejectedReason: null,
    rejectedDetail: null,
    rejectedAt: null,
    ...overrides,
  };
}

describe(deviceStatusView.name, () => {
  it('calls a car with no status word never connected', () => {
    expect(deviceStatusView(row(), NOW)).toMatchObject({ state: 'NEVER_CONNECTED', since: null, offlineForSeconds: null, allRefused: null });
  });

  it('calls a car whose last word was its birth connected, since the birth', () => {
    const sut = deviceStatusView(row({ state: 'ONLINE', connectedAt: hoursAgo(1), disconnectedAt: hoursAgo(2), firmware: '1.4.2' }), NOW);
    expect(sut).toMatchObject({ state: 'CONNECTED', since: hoursAgo(1).toISOString(), offlineForSeconds: null, firmware: '1.4.2' });
  });

  it('tells a clean goodbye (offline) from a last will (unplugged), each with how long ago', () => {
    const clean = deviceStatusView(row({ state: 'OFFLINE', offlineReason: 'CLEAN', connectedAt: hoursAgo(5), disconnectedAt: hoursAgo(3) }), NOW);
    const will = deviceStatusView(row({ state: 'OFFLINE', offlineReason: 'UNEXPECTED', connectedAt: hoursAgo(5), disconnectedAt: hoursAgo(3) }), NOW);
    expect(clean).toMatchObject({ state: 'OFFLINE', since: hoursAgo(3).toISOString(), offlineForSeconds: 3 * 3600 });
    expect(will).toMatchObject({ state: 'UNPLUGGED', since: hoursAgo(3).toISOString(), offlineForSeconds: 3 * 3600 });
  });

  it('flags a car whose recent messages were all refused, with the newest reason, and not one that also stored some', () => {
    const refusedRow = row({
      rejectedCount: 12,
      rejectedReason: 'CLOCK_TOO_OLD',
      rejectedDetail: 'ts 1970-01-21 is more than 365 days old',
      rejectedAt: hoursAgo(0.1),
    });
    expect(deviceStatusView(refusedRow, NOW).allRefused).toEqual({
      count: 12,
      reason: 'CLOCK_TOO_OLD',
      detail: 'ts 1970-01-21 is more than 365 days old',
      lastAt: hoursAgo(0.1).toISOString(),
    });
    expect(deviceStatusView({ ...refusedRow, lastTelemetryAt: hoursAgo(1) }, NOW).allRefused).toBeNull();
    expect(deviceStatusView({ ...refusedRow, lastTelemetryAt: hoursAgo(30) }, NOW).allRefused).not.toBeNull();
  });
});
