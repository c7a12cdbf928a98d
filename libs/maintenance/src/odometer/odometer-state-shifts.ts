// How each distance model's saved state moves onto a new odometer scale (see odometer-aware.model.ts).
// Only odometer values recorded before the event move; everything else is kept as it is.
import type { ServiceScheduleState, StoredMark } from '../service-schedule/service-schedule-state.js';
import { upgradeTireState, type TireModelState, type TireModelStateV2 } from '../tires/tire-state.js';

const moved = (km: number | null, at: string, before: Date, deltaKm: number): number | null =>
  km !== null && Date.parse(at) < before.getTime() ? km + deltaKm : km;

export function shiftTireState(saved: TireModelState, before: Date, deltaKm: number): TireModelStateV2 {
  const state = upgradeTireState(saved);
  const beforeMs = before.getTime();
  return {
    ...state,
    tread: state.tread.map(([position, source, tsMs, km, treadMm]) => [
      position,
      source,
      tsMs,
      km !== null && tsMs < beforeMs ? km + deltaKm : km,
      treadMm,
    ]),
    events: state.events.map((e) => ({ ...e, odometerKm: moved(e.odometerKm, e.performedAt, before, deltaKm) })),
  };
}

export function shiftServiceScheduleState(state: ServiceScheduleState, before: Date, deltaKm: number): ServiceScheduleState {
  const mark = (m: StoredMark): StoredMark => ({ ...m, km: moved(m.km, m.at, before, deltaKm) });
  return {
    ...state,
    firstKnown: state.firstKnown === null ? null : mark(state.firstKnown),
    lastDone: Object.fromEntries(Object.entries(state.lastDone).map(([item, m]) => [item, mark(m)])),
  };
}
