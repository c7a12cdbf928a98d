import { parseCarObdCsv } from './car-obd.parser.js';
import { carObdText, median, readCarObdLog, START_TS } from '../../fixtures/obd-data.fixture.js';
import { ObdLogFormatError } from './obd-log.error.js';

describe(parseCarObdCsv.name, () => {
  describe('on a hand-made log', () => {
    it('maps the columns to sample fields and takes time from the run-time clock', () => {
      const sut = parseCarObdCsv(carObdText([[12, 2100, 62, 18.5, 40, 91, 45, 30, 14.1]]), { startTs: START_TS, firstSeq: 7 });

      expect(sut).toEqual([
        {
          ts: new Date(START_TS.getTime() + 12_000),
          seq: 7,
          odometerKm: 0,
          rpm: 2100,
          speedKph: 62,
          throttlePct: 18.5,
          engineLoadPct: 40,
          coolantTempC: 91,
          manifoldPressureKpa: 45,
          intakeTempC: 30,
          batteryV: 14.1,
        },
      ]);
    });

    it('drops exact repeats but keeps distinct rows in the same second, spread across it', () => {
      const row = [5, 800, 0, 17, 20, 60, 30, 28, 14];
      const sut = parseCarObdCsv(carObdText([row, row, [5, 810, 0, 17, 20, 60, 30, 28, 14], [6, 820, 0, 17, 20, 61, 30, 28, 14]]), {
        startTs: START_TS,
      });

      expect(sut.map((s) => s.seq)).toEqual([1, 2, 3]);
      expect(sut.map((s) => s.ts.getTime() - START_TS.getTime())).toEqual([5000, 5500, 6000]);
    });

    it('integrates speed into a synthetic odometer from startOdometerKm', () => {
      // 36 km/h for 100 s is 1 km.
      const sut = parseCarObdCsv(
        carObdText([
          [0, 1500, 36, 20, 30, 90, 40, 30, 14],
          [100, 1500, 36, 20, 30, 90, 40, 30, 14],
        ]),
        { startTs: START_TS, startOdometerKm: 1000 },
      );

      expect(sut.map((s) => s.odometerKm)).toEqual([1000, 1001]);
    });

    it('drops a row cut short by a truncated file', () => {
      const text = `${carObdText([[1, 800, 0, 17, 20, 60, 30, 28, 14]])}\n2.000000, 810.000000, 0.000000,`;

      expect(parseCarObdCsv(text, { startTs: START_TS })).toHaveLength(1);
    });

    it('rejects a file without the run-time clock', () => {
      expect(() => parseCarObdCsv('RPM (),SPEED ()\n1,2,', { startTs: START_TS })).toThrow(ObdLogFormatError);
    });
  });

  describe('on the real carOBD logs', () => {
    it.each([
      ['drive1', 2497],
      ['idle1', 1012],
      ['live1', 3486],
      ['long10', 4719],
      ['ufpe3', 743],
    ])('%s keeps %i rows after de-duplication, in strictly increasing time and seq', (name, expected) => {
      const sut = parseCarObdCsv(readCarObdLog(name), { startTs: START_TS });

      expect(sut).toHaveLength(expected);
      for (let i = 1; i < sut.length; i++) {
        expect(sut[i]!.seq).toBe(sut[i - 1]!.seq + 1);
        expect(sut[i]!.ts.getTime()).toBeGreaterThan(sut[i - 1]!.ts.getTime());
        expect(sut[i]!.odometerKm!).toBeGreaterThanOrEqual(sut[i - 1]!.odometerKm!);
      }
    });

    it.each(['drive1', 'live1', 'long10', 'ufpe3'])('%s has a warmed-up coolant median of 86-88 C, never above 96 C', (name) => {
      const coolant = parseCarObdCsv(readCarObdLog(name), { startTs: START_TS }).map((s) => s.coolantTempC!);
      const warm = coolant.filter((c) => c >= 80);

      expect(median(warm)).toBeGreaterThanOrEqual(86);
      expect(median(warm)).toBeLessThanOrEqual(88);
      expect(Math.max(...coolant)).toBeLessThanOrEqual(96);
    });

    it('long10 shows the 7.56 V cranking dip, a charging system near 14 V and motorway speed', () => {
      const sut = parseCarObdCsv(readCarObdLog('long10'), { startTs: START_TS });
      const volts = sut.map((s) => s.batteryV!);

      expect(Math.min(...volts)).toBeCloseTo(7.558, 3);
      expect(Math.max(...volts)).toBeGreaterThan(13.8);
      expect(Math.max(...volts)).toBeLessThan(14.5);
      expect(Math.max(...sut.map((s) => s.speedKph!))).toBe(127);
      // ~41 minutes of run time; the synthetic odometer must land on a plausible motorway distance.
      expect(sut.at(-1)!.ts.getTime() - START_TS.getTime()).toBeGreaterThan(2474_000);
      expect(sut.at(-1)!.odometerKm).toBeGreaterThan(30);
      expect(sut.at(-1)!.odometerKm).toBeLessThan(80);
    });

    it('has no MAF, so no fuel rate is invented', () => {
      const sut = parseCarObdCsv(readCarObdLog('drive1'), { startTs: START_TS });

      expect(sut.some((s) => s.fuelRateLph !== undefined || s.mafGps !== undefined)).toBe(false);
    });
  });
});
