import { splitDrives } from '../common/telemetry-sessions.js';
import type { TelemetryPoint } from '../maintenance-model.js';
import { isClosedSegment, LATE_ARRIVAL_MS, SEGMENT_GAP_MS, splitSegments } from './telemetry-segments.js';

const T0 = Date.UTC(2026, 10, 2, 6, 0, 0);
const at = (minutes: number, rpm: number): TelemetryPoint => ({ ts: new Date(T0 + minutes * 60_000), rpm, speedKph: rpm > 0 ? 40 : 0 });

describe('splitSegments', () => {
  // Parked every 5 min, a drive with an ignition-on reading 20 s before the crank, a 10-min silence, another drive.
  const series: TelemetryPoint[] = [
    at(0, 0),
    at(5, 0),
    at(10, 0),
    { ts: new Date(T0 + 10 * 60_000 + 40_000), rpm: 0 },
    ...Array.from({ length: 20 }, (_, i) => at(11 + i, 2000)),
    at(31, 0),
    at(36, 0),
    ...Array.from({ length: 10 }, (_, i) => at(46 + i, 1800)),
  ];

  it('cuts at long silences and between parked readings, never inside a drive or its pre-start', () => {
    const segments = splitSegments(series);
    expect(segments.map((s) => s.samples.length)).toEqual([1, 1, 1, 22, 1, 10]);
    expect(segments[3].samples[0].rpm).toBe(0);
    expect(segments.flatMap((s) => s.samples)).toEqual(series);
  });

  it('gives the same drives, pre-starts included, as splitting the whole series', () => {
    const whole = splitDrives(series);
    const pieces = splitSegments(series).flatMap((s) => splitDrives(s.samples));
    expect(pieces).toEqual(whole);
    expect(whole[0].preStart).toHaveLength(1);
  });

  it('closes a segment only after the gap and the late-arrival margin have passed', () => {
    const [first] = splitSegments([at(0, 2000), at(1, 2000)]);
    const end = T0 + 60_000;
    expect(isClosedSegment(first, new Date(end + SEGMENT_GAP_MS + LATE_ARRIVAL_MS))).toBe(false);
    expect(isClosedSegment(first, new Date(end + SEGMENT_GAP_MS + LATE_ARRIVAL_MS + 1))).toBe(true);
  });
});
