import { splitSegments } from '../incremental/index.js';
import { cleanSamples } from '../common/telemetry-sessions.js';
import type { TelemetryPoint } from '../maintenance-model.js';
import { dailyKm } from './daily-distance.js';
import { cleanOdometer } from './odometer-cleaner.js';
import { odometerAt } from './odometer-lookup.js';
import { emptyOdometerTrack, finishTrack, foldOdometer, MAX_KNOTS_PER_DAY, odometerView, type OdometerTrack } from './odometer-track.js';
import { DAY_MS } from './driving-history.factory.js';

const START = Date.parse('2026-10-01T00:00:00Z');
const MIN = 60_000;

/**
 * `days` days of a car that drives `drives` times a day (20 one-minute readings each, 0.6 km a minute,
 * the last drive across midnight) and reports every 5 minutes while parked (odometer included).
 */
function busyCar(days: number, drives = 3): TelemetryPoint[] {
  const out: TelemetryPoint[] = [];
  let km = 40_000;
  for (let d = 0; d < days; d++) {
    const day = START + d * DAY_MS;
    const driveStarts = Array.from({ length: drives }, (_, i) => day + (7 + (16.5 * i) / Math.max(1, drives - 1)) * 3_600_000);
    let t = day;
    for (const start of driveStarts) {
      for (; t < start - 5 * MIN; t += 5 * MIN) out.push({ ts: new Date(t), rpm: 0, speedKph: 0, odometerKm: Math.round(km * 10) / 10 });
      for (let i = 0; i < 20; i++) {
        out.push({ ts: new Date(start + i * MIN), rpm: 2000, speedKph: 36, odometerKm: Math.round(km * 10) / 10 });
        km += 0.6;
      }
      t = start + 25 * MIN;
    }
    for (; t < day + DAY_MS; t += 5 * MIN)
      if (t > driveStarts[drives - 1] + 25 * MIN) out.push({ ts: new Date(t), rpm: 0, speedKph: 0, odometerKm: Math.round(km * 10) / 10 });
  }
  return out.sort((a, b) => a.ts.getTime() - b.ts.getTime());
}

/** Glitches the cleaner has to handle: a rollback reading, a jump reading, a three-reading spike, a frozen odometer while moving, a real reset. */
function messy(samples: TelemetryPoint[]): TelemetryPoint[] {
  const out = samples.map((s) => ({ ...s }));
  const driving = out.map((s, i) => ({ s, i })).filter(({ s }) => (s.rpm ?? 0) > 0);
  const at = (k: number): TelemetryPoint => out[driving[k].i];
  at(40).odometerKm = 3;
  at(80).odometerKm = 999_999;
  for (const k of [120, 121, 122]) at(k).odometerKm = (at(k).odometerKm ?? 0) + 40;
  const frozen = at(200).odometerKm;
  for (let k = 201; k < 212; k++) at(k).odometerKm = frozen;
  // From the 10th day on the cluster reads 100,000 km more (a replaced cluster, nobody confirmed it).
  for (const s of out) if (s.ts.getTime() >= START + 10 * DAY_MS + 8 * 3_600_000 && s.odometerKm !== undefined) s.odometerKm += 100_000;
  return out;
}

function fold(samples: readonly TelemetryPoint[]): OdometerTrack {
  let track = emptyOdometerTrack();
  for (const segment of splitSegments(cleanSamples(samples, new Date(8.64e15)).samples)) track = foldOdometer(track, segment);
  return track;
}

describe('odometer track', () => {
  const samples = messy(busyCar(30));
  const now = new Date(START + 30 * DAY_MS);
  const full = cleanOdometer(samples);
  const view = odometerView(finishTrack(fold(samples), [], now));

  it('cleans as cleanOdometer does, one segment at a time: drops, runs, first and latest readings, daily distances', () => {
    expect(full.dropped.rollback + full.dropped.jump + full.dropped.spike + full.dropped.stuck).toBeGreaterThan(4);
    expect(view.cleaning.dropped).toEqual(full.dropped);
    expect(view.cleaning.segmentCount).toBe(full.segmentCount);
    expect(view.cleaning.segmentCount).toBe(2);
    expect(view.cleaning.points[0]).toEqual(full.points[0]);
    expect(view.cleaning.points.at(-1)).toEqual(full.points.at(-1));
    const expected = dailyKm(full.points);
    expect(view.dailyKm).toHaveLength(expected.length);
    view.dailyKm.forEach((km, i) => expect(Math.abs(km - expected[i])).toBeLessThanOrEqual(0.002)); // kept to the metre
  });

  it('finds the odometer between drives exactly and within a drive to within that drive', () => {
    const segments = splitSegments(samples);
    for (const p of full.points) {
      const seg = segments.find((s) => s.startMs <= p.ts.getTime() && s.endMs >= p.ts.getTime());
      const kms = (seg?.samples ?? []).map((s) => full.points.find((q) => q.ts.getTime() === s.ts.getTime())?.km ?? p.km);
      const spread = Math.max(...kms) - Math.min(...kms);
      const at = odometerAt(view.cleaning, p.ts);
      expect(Math.abs((at ?? Number.NaN) - p.km)).toBeLessThanOrEqual(spread + 1e-9);
    }
    // Between drives (parked, 03:00 each day) it is the cleaned odometer itself.
    for (let d = 1; d < 30; d++) {
      const t = new Date(START + d * DAY_MS + 3 * 3_600_000 + 2 * MIN);
      expect(odometerAt(view.cleaning, t)).toBeCloseTo(odometerAt(full, t) ?? Number.NaN, 9);
    }
  });

  it('folded in any cut of segments gives the same track as folded at once', () => {
    const segments = splitSegments(samples);
    const oneByOne = segments.reduce((t, s) => foldOdometer(t, s), emptyOdometerTrack());
    expect(JSON.parse(JSON.stringify(oneByOne))).toEqual(fold(samples));
  });

  it('stays small: a few knots per drive, a hard cap per day', () => {
    const busy = fold(busyCar(31, 12));
    const perDay = new Map<number, number>();
    for (const k of busy.knots) perDay.set(k[3], (perDay.get(k[3]) ?? 0) + 1);
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(MAX_KNOTS_PER_DAY);
    // 3 drives a day and a reading every 5 minutes while parked: ~9 knots a day.
    expect(JSON.stringify(fold(busyCar(31, 3))).length).toBeLessThan(10_000);
    // The cap: 12 drives a day still make at most MAX_KNOTS_PER_DAY knots a day.
    expect(JSON.stringify(busy).length).toBeLessThan(24_000);
  });
});
