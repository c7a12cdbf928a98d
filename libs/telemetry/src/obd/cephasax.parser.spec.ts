import { parseCephasaxCsv } from './cephasax.parser.js';
import { estimateFuelRateLphFromMaf } from './maf-fuel-rate.js';
import { median, readCephasaxLog, START_TS } from '../../fixtures/obd-data.fixture.js';

const HEADER =
  'ord;TIME;LATITUDE;LONGITUDE;VEHICLE_ID;ENGINE_COOLANT_TEMP;ENGINE_LOAD;AMBIENT_AIR_TEMP;ENGINE_RPM;MAF;AIR_INTAKE_TEMP;SPEED;ENGINE_RUNTIME;THROTTLE_POS;';

const cephasaxText = (...rows: string[]): Buffer => Buffer.from([HEADER, ...rows].join('\n'), 'latin1');

describe(parseCephasaxCsv.name, () => {
  describe('on a hand-made log', () => {
    it('reads decimal commas, the hh:mm:ss clock and MAF into an estimated fuel rate', () => {
      const sut = parseCephasaxCsv(cephasaxText('1;1,51E+12;-583.206.639;-3.520.573.159;car9;95;43,10;4;816;4,73;34;12;00:45:33;21,20;'), {
        startTs: START_TS,
      });

      expect([...sut.keys()]).toEqual(['car9']);
      expect(sut.get('car9')).toEqual([
        {
          ts: new Date(START_TS.getTime() + (45 * 60 + 33) * 1000),
          seq: 1,
          odometerKm: 0,
          coolantTempC: 95,
          engineLoadPct: 43.1,
          rpm: 816,
          mafGps: 4.73,
          intakeTempC: 34,
          speedKph: 12,
          throttlePct: 21.2,
          fuelRateLph: Number(estimateFuelRateLphFromMaf(4.73).toFixed(3)),
          fuelRateEstimated: true,
        },
      ]);
    });

    it('treats rows differing only in the mangled columns as repeats, and drops rows without a clock', () => {
      const sut = parseCephasaxCsv(
        cephasaxText(
          '1;1,51E+12;-583;-352;car9;95;43,10;4;816;4,73;34;0;00:00:10;21,20;',
          '2;1,52E+12;-584;-353;car9;95;43,10;4;816;4,73;34;0;00:00:10;21,20;',
          '3;1,52E+12;-584;-353;car9;95;43,10;4;816;4,73;34;0;;21,20;',
        ),
        { startTs: START_TS },
      );

      expect(sut.get('car9')).toHaveLength(1);
    });
  });

  describe('on the real 4drivers.csv', () => {
    const sut = parseCephasaxCsv(readCephasaxLog(), { startTs: START_TS, startOdometerKm: 50_000 });

    it('splits the four cars, each in strictly increasing time and seq', () => {
      expect([...sut.keys()].sort()).toEqual(['control1', 'control2', 'control3', 'control4']);
      expect([...sut.values()].map((series) => series.length)).toEqual([593, 432, 364, 352]);
      for (const series of sut.values()) {
        expect(series[0]!.seq).toBe(1);
        for (let i = 1; i < series.length; i++) {
          expect(series[i]!.seq).toBe(series[i - 1]!.seq + 1);
          expect(series[i]!.ts.getTime()).toBeGreaterThan(series[i - 1]!.ts.getTime());
          expect(series[i]!.odometerKm!).toBeGreaterThanOrEqual(series[i - 1]!.odometerKm!);
        }
      }
    });

    it('reads plausible values: warm coolant, idle fuel flow below 1.5 L/h, speeds and odometers', () => {
      for (const series of sut.values()) {
        const warm = series.map((s) => s.coolantTempC!).filter((c) => c >= 75);
        expect(median(warm)).toBeGreaterThanOrEqual(80);
        expect(median(warm)).toBeLessThanOrEqual(95);
        const idleFuel = series.filter((s) => s.speedKph === 0 && s.rpm! > 600 && s.rpm! < 1000).map((s) => s.fuelRateLph!);
        expect(median(idleFuel)).toBeGreaterThan(0.4);
        expect(median(idleFuel)).toBeLessThan(1.5);
        // A few rows lack MAF: those get no fuel rate rather than a made-up one.
        expect(series.filter((s) => s.mafGps !== undefined).every((s) => s.fuelRateEstimated === true)).toBe(true);
        expect(series.filter((s) => s.mafGps === undefined).every((s) => s.fuelRateLph === undefined)).toBe(true);
        expect(series.filter((s) => s.fuelRateEstimated).length).toBeGreaterThan(series.length * 0.9);
        expect(series[0]!.odometerKm).toBe(50_000);
        expect(series.at(-1)!.odometerKm!).toBeGreaterThan(50_001);
      }
      expect(Math.max(...sut.get('control4')!.map((s) => s.speedKph ?? 0))).toBe(159);
    });
  });
});
