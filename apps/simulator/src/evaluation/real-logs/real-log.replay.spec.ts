import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { obdDataDir } from '#app/config';
import { parseCarObdCsv } from '#app/telemetry';
import { normalizeLogSamples, replayRealLogs } from './real-log.replay.js';

describe(replayRealLogs.name, () => {
  it('sends the real logs through the ingestion normaliser: none refused, the unit-suffixed copy reads identically, no flags', () => {
    const sut = replayRealLogs(obdDataDir());

    expect(sut.refused).toBe(0);
    expect(sut.unitSuffixed).toMatchObject({ cars: 4, identical: true, flags: 0 });
    expect(sut.unitSuffixed.samples).toBeGreaterThan(1000);
    expect(sut.flags).toBe(0);
  });
});

describe(normalizeLogSamples.name, () => {
  it('estimates the fuel rate by speed-density for a log without MAF or fuel rate (carOBD)', () => {
    const parsed = parseCarObdCsv(readFileSync(join(obdDataDir(), 'carOBD', 'drive1.csv'), 'utf8'), { startTs: new Date('2026-03-02T08:00:00Z') });
    expect(parsed.some((s) => s.fuelRateLph !== undefined)).toBe(false);

    const sut = normalizeLogSamples(parsed, 1.5);

    expect(sut.refused).toBe(0);
    const withEngineData = sut.samples.filter((s) => s.manifoldPressureKpa !== undefined && s.rpm !== undefined && s.intakeTempC !== undefined);
    expect(withEngineData.length).toBeGreaterThan(100);
    expect(withEngineData.every((s) => s.fuelRateEstimated === true && (s.fuelRateLph ?? -1) >= 0)).toBe(true);
  });
});
