// The window holds 30 days; an oil change is a year apart. The state remembers when each item was last
// done and the first odometer/date ever seen (the baseline when no record exists), so a sliding window
// does not keep moving the "assumed" baseline forward.
import type { ServiceEvent } from '../maintenance-model.js';
import type { ServiceItem } from './service-items.js';

export interface StoredMark {
  at: string;
  km: number | null;
}

export interface ServiceScheduleState {
  schemaVersion: 1;
  firstKnown: StoredMark | null;
  lastDone: Record<string, StoredMark>;
}

export function mergeScheduleState(
  previous: ServiceScheduleState | undefined,
  items: readonly ServiceItem[],
  events: readonly ServiceEvent[],
  firstSeen: StoredMark | null,
  now: Date,
  odometerFor: (ts: Date) => number | undefined,
): ServiceScheduleState {
  const lastDone: Record<string, StoredMark> = { ...(previous?.lastDone ?? {}) };
  for (const item of items) {
    for (const e of events) {
      if (!item.resetBy.includes(e.kind) || e.performedAt.getTime() > now.getTime()) continue;
      // Only a full set of tyres restarts the rotation interval.
      if (e.kind === 'TIRE_REPLACEMENT' && e.positions !== undefined && e.positions.length > 0 && e.positions.length < 4) continue;
      const current = lastDone[item.id];
      if (current !== undefined && Date.parse(current.at) >= e.performedAt.getTime()) continue;
      lastDone[item.id] = { at: e.performedAt.toISOString(), km: e.odometerKm ?? odometerFor(e.performedAt) ?? null };
    }
  }
  const prior = previous?.firstKnown ?? null;
  const firstKnown = prior === null || (firstSeen !== null && Date.parse(firstSeen.at) < Date.parse(prior.at)) ? firstSeen : prior;
  return { schemaVersion: 1, firstKnown, lastDone };
}
