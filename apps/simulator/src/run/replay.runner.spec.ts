import { obdDataDir } from '#app/config';
import { loadReplaySeries, replaySchedule } from './replay.runner.js';

const OBD_DATA_DIR = obdDataDir();
const LAUNCH_MS = Date.parse('2026-11-26T08:00:00.000Z');

describe(replaySchedule.name, () => {
  const series = loadReplaySeries(`${OBD_DATA_DIR}/carOBD/ufpe3.csv`, undefined);

  it('paces publishing at the speedup while keeping the log real spacing in ts, never in the future', () => {
    const sut = replaySchedule(series, LAUNCH_MS, 10);
    const spanMs = series.at(-1)!.ts.getTime() - series[0]!.ts.getTime();

    expect(sut).toHaveLength(743);
    expect(sut.at(-1)!.publishAtMs - LAUNCH_MS).toBeCloseTo(spanMs / 10, 0);
    expect(sut.at(-1)!.sample.ts.getTime() - sut[0]!.sample.ts.getTime()).toBe(spanMs);
    expect(sut.filter((s) => s.sample.ts.getTime() > s.publishAtMs + 1)).toEqual([]);
  });

  it('numbers samples by publish time, strictly increasing, so a later replay never reuses a seq', () => {
    const first = replaySchedule(series, LAUNCH_MS, 400);
    const second = replaySchedule(series, first.at(-1)!.publishAtMs + 1, 400);
    const seqs = [...first, ...second].map((s) => s.sample.seq);

    expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]!)).toBe(true);
  });

  it('picks one car out of a multi-vehicle cephasax log', () => {
    expect(loadReplaySeries(`${OBD_DATA_DIR}/cephasax/4drivers.csv`, 'control3')).toHaveLength(364);
  });
});
