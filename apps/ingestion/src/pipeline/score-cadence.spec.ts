import type { VehicleSample } from '#app/database';
import { type ScoreRequester, TelemetryScoreCadence } from './score-cadence.js';

interface Asked {
  soon: string[][];
  routine: { ids: string[]; delayMs: number }[];
}

function cadence(): { sut: TelemetryScoreCadence; asked: Asked } {
  const asked: Asked = { soon: [], routine: [] };
  const requester: ScoreRequester = {
    requestScores: async (ids, _reason, delayMs) => void asked.routine.push({ ids: [...ids], delayMs }),
    requestScoresSoon: async (ids) => void asked.soon.push([...ids]),
  };
  const sut = new TelemetryScoreCadence(requester, { warn: () => undefined }, { intervalMs: 600_000, debounceMs: 5_000 });
  return { sut, asked };
}

const sample = (vehicleId: string, seq: number, reading: Partial<VehicleSample['sample']> = {}): VehicleSample => ({
  vehicleId,
  sample: { ts: new Date(1_800_000_000_000 + seq * 1000), seq, coolantTempC: 90, ...reading },
});

describe(TelemetryScoreCadence.name, () => {
  it('asks a routine score once per interval per vehicle, delayed by the interval', () => {
    const { sut, asked } = cadence();

    sut.afterCommit([sample('a', 1), sample('b', 1)], ['a', 'b'], 0);
    sut.afterCommit([sample('a', 2)], ['a'], 599_999);
    sut.afterCommit([sample('a', 3)], ['a'], 600_000);

    expect(asked.routine).toEqual([
      { ids: ['a', 'b'], delayMs: 600_000 },
      { ids: ['a'], delayMs: 600_000 },
    ]);
    expect(asked.soon).toEqual([]);
  });

  it('asks a prompt score for a vehicle sending a warning sign, at most once a minute while it keeps sending it', () => {
    const { sut, asked } = cadence();

    sut.afterCommit([sample('a', 1), sample('hot', 1, { coolantTempC: 112 })], ['a', 'hot'], 0);
    sut.afterCommit([sample('hot', 2, { coolantTempC: 113 })], ['hot'], 30_000);
    sut.afterCommit([sample('hot', 3, { coolantTempC: 113 })], ['hot'], 60_000);

    expect(asked.soon).toEqual([['hot'], ['hot']]);
    // Between prompt scores the hot car is not asked for a routine one either (the prompt one covers it).
    expect(asked.routine).toEqual([{ ids: ['a'], delayMs: 600_000 }]);
  });

  it('ignores warnings in samples that were not stored (a redelivered duplicate was already handled)', () => {
    const { sut, asked } = cadence();

    sut.afterCommit([sample('hot', 1, { dtcs: ['P0217'] })], [], 0);

    expect(asked).toEqual({ soon: [], routine: [] });
  });
});
