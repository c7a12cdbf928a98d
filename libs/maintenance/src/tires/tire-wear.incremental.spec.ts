import {
  assessIncrementally,
  assessInFull,
  READ_BEFORE_HORIZON_MS,
  summaryHorizonMs,
  tireReadingHorizonMs,
  type DecisionContext,
  type SavedSummary,
} from '../incremental/index.js';
import type { ModelResult, TirePressurePoint, TireReadingPoint, WheelPosition } from '../maintenance-model.js';
import { DAY_MS, drivingSamples } from '../odometer/driving-history.factory.js';
import { OdometerAwareModel } from '../odometer/odometer-aware.model.js';
import { shiftTireState } from '../odometer/odometer-state-shifts.js';
import { aProfile, event } from './tire-history.factory.js';
import { MAX_TIRE_FACTS } from './tire-reading-summary.js';
import { TireWearModel, type TireSummary } from './tire-wear.model.js';
import type { TireModelState } from './tire-state.js';
import type { OdometerAwareState } from '../odometer/odometer-aware.model.js';

const START = new Date('2026-06-01T00:00:00Z');
const DAYS = 140;
const KM_PER_DAY = 40;
const START_KM = 30_000;
const LEAK_DAY = 128;
const WHEELS: readonly WheelPosition[] = ['FL', 'FR', 'RL', 'RR'];
/** mm per 1,000 km: the front left wears three times as fast (misaligned). */
const WEAR: Record<WheelPosition, number> = { FL: 0.3, FR: 0.1, RL: 0.1, RR: 0.1 };

const telemetry = drivingSamples({ start: START, days: DAYS, kmPerDay: KM_PER_DAY, startKm: START_KM });

/**
 * A busy device: every hour, all four wheels, pressure (a shared day/night swing, noise), tread in 0.1 mm
 * steps and the odometer; a 3 kPa/day leak on the rear right from LEAK_DAY; every 11th hour a tread
 * reading a sensor garbled.
 */
function deviceReadings(): TireReadingPoint[] {
  const out: TireReadingPoint[] = [];
  let k = 0;
  for (let hour = 0; hour < DAYS * 24; hour++) {
    const ts = new Date(START.getTime() + hour * 3_600_000);
    const day = hour / 24;
    const km = START_KM + KM_PER_DAY * day;
    const swing = 15 * Math.sin((2 * Math.PI * hour) / 24);
    for (const w of WHEELS) {
      const noise = 2 * Math.sin(k++ * 12.9898);
      const leak = w === 'RR' && day > LEAK_DAY ? 3 * (day - LEAK_DAY) : 0;
      const tread = Math.round((8 - (WEAR[w] * (km - START_KM)) / 1000) * 10) / 10;
      out.push({
        position: w,
        ts,
        odometerKm: Math.round(km),
        treadMm: hour % 11 === 0 && w === 'FR' ? 55 : tread,
        pressureKpa: 240 + swing + noise - leak,
        source: 'DEVICE',
      });
    }
  }
  return out;
}

const devices = deviceReadings();
const inspections: TireReadingPoint[] = WHEELS.map((w) => ({
  position: w,
  ts: new Date(START.getTime() - 200 * DAY_MS),
  odometerKm: 22_000,
  treadMm: 8.4,
  pressureKpa: 250,
  source: 'INSPECTION',
}));

/**
 * The newest raw pressures the worker reads on every score (three a wheel, a minute apart): normal, except on a
 * few days the front left: day 99 a lone low reading (told), day 100 normal again (remembered as a glitch), day
 * 102 a lone low one (held back: that wheel glitched), day 105 two low ones in a row (told).
 */
const FL_LOW: Record<number, number> = { 99: 1, 102: 1, 105: 2 };
function recentPressures(d: number, now: Date): TirePressurePoint[] {
  const out: TirePressurePoint[] = [];
  for (let m = 2; m >= 0; m--) {
    for (const w of WHEELS) {
      const low = w === 'FL' && m < (FL_LOW[d] ?? 0);
      out.push({ position: w, ts: new Date(now.getTime() - m * 60_000 - 1_000), pressureKpa: low ? 150 : 245 });
    }
  }
  return out;
}

type State = OdometerAwareState<TireModelState>;

describe('tyre summary, incrementally', () => {
  const model = new OdometerAwareModel(new TireWearModel(), shiftTireState);

  it('folding the tyre readings day by day (the worker reads only those after the watermark) gives what a full rebuild gives', () => {
    let saved: SavedSummary<TireSummary> | null = null;
    let incState: State | undefined;
    const runs: { full: ModelResult<State> | null; incremental: ModelResult<State>; saved: SavedSummary<TireSummary>; deviceRead: number }[] = [];
    // Once a day at a moving hour (so days are sometimes still open, sometimes closed), from day 1.
    for (let d = 1; d <= DAYS; d++) {
      const now = new Date(START.getTime() + d * DAY_MS + ((d * 5) % 24) * 3_600_000);
      const t = now.getTime();
      const from = summaryHorizonMs(now) - READ_BEFORE_HORIZON_MS;
      const window = telemetry.filter((s) => s.ts.getTime() >= from && s.ts.getTime() <= t);
      const events = [
        event('TIRE_ROTATION', new Date(START.getTime() - 100 * DAY_MS)),
        ...(d > 60 ? [event('PUNCTURE_REPAIR', new Date(START.getTime() + 60.4 * DAY_MS), ['RL'])] : []),
      ];
      const base = { profile: aProfile(), serviceEvents: events, recentTirePressures: recentPressures(d, now) };
      const deviceWindow = devices.filter((r) => r.ts.getTime() >= tireReadingHorizonMs(now) && r.ts.getTime() <= t);
      // A full rebuild every third day (and the last), from the same previous state: the states are compared equal below.
      const full =
        d % 3 === 0 || d === DAYS
          ? assessInFull(model, { ...base, samples: window, tireReadings: [...inspections, ...deviceWindow] }, incState, now)
          : null;
      // What the worker loads: the device readings from the tyre watermark on, the inspections whole.
      const watermark = saved?.summary.tires.untilMs ?? -Infinity;
      const newDevice = deviceWindow.filter((r) => r.ts.getTime() >= watermark);
      const context: DecisionContext = { ...base, tireReadings: [...inspections, ...newDevice] };
      const after = saved?.closedUntilMs ?? null;
      const fresh = after === null ? window : window.filter((s) => s.ts.getTime() > after);
      const step = assessIncrementally(model, saved, fresh, context, incState, now);
      saved = JSON.parse(JSON.stringify(step.saved)) as SavedSummary<TireSummary>;
      incState = step.state;
      runs.push({ full, incremental: step, saved, deviceRead: newDevice.length });
    }
    const compared = runs.filter((r) => r.full !== null);
    expect(compared.length).toBeGreaterThanOrEqual(DAYS / 3);
    for (const { full, incremental } of compared) {
      expect(incremental.assessment).toEqual(full?.assessment);
      expect(incremental.state).toEqual(full?.state);
    }
    // A daily score reads the days still open at the previous score (up to three) and today's hours, not 120 days.
    expect(Math.max(...runs.slice(5).map((r) => r.deviceRead))).toBeLessThanOrEqual(4 * 24 * 4);

    // The newest raw pressures: told on day 99, gone on day 100, held back on 102 (the wheel glitched), told on 105.
    const fastLoss = (d: number): string | undefined =>
      runs[d - 1]?.incremental.assessment.findings.find((f) => f.subject === 'FL' && String(f.params.issues).includes('TIRE_PRESSURE_LOSS'))?.risk;
    expect([99, 100, 102, 105].map(fastLoss)).toEqual(['URGENT', undefined, undefined, 'URGENT']);

    const last = runs[runs.length - 1];
    if (last.full === null) throw new Error('the last day is compared');
    const issues = last.full.assessment.findings.map((f) => `${f.subject}:${String(f.params.issues)}`);
    expect(issues).toEqual(expect.arrayContaining([expect.stringMatching(/^FL:.*TIRE_UNEVEN_WEAR/), expect.stringMatching(/^RR:.*TIRE_SLOW_LEAK/)]));
    expect(last.full.assessment.evidence.rejectedTreadReadings).toBeGreaterThan(0);

    // Bounded: the 120-day window of a reading every hour on every wheel.
    const tires = last.saved.summary.tires;
    for (const w of WHEELS) expect(tires.tread[w].length).toBeLessThanOrEqual(MAX_TIRE_FACTS.treadDays);
    for (const axle of Object.values(tires.axles)) {
      expect(axle.days.length).toBeLessThanOrEqual(MAX_TIRE_FACTS.pairDays);
      expect(axle.hours.length).toBeLessThanOrEqual(MAX_TIRE_FACTS.pairHours);
    }
    expect(JSON.stringify(tires).length).toBeLessThan(40_000);
  });
});
