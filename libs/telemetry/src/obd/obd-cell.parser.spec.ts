import { parseCephasaxCsv } from './cephasax.parser.js';
import { parseCarObdCsv } from './car-obd.parser.js';
import { parseObdCell } from './obd-cell.parser.js';
import { ObdLogFormatError } from './obd-log.error.js';
import { START_TS } from '../../fixtures/obd-data.fixture.js';

// The header and first rows of cephasax/OBDdatasets masterDegreeResearch/19drivers.csv (trimmed to the columns we read).
const HEADER_19 =
  'TIME;VEHICLE_ID;ENGINE_COOLANT_TEMP;ENGINE_LOAD;ENGINE_RPM;INTAKE_MANIFOLD_PRESSURE;MAF;AIR_INTAKE_TEMP;SPEED;ENGINE_RUNTIME;THROTTLE_POS';
const log19 = (...rows: string[]): Buffer => Buffer.from([HEADER_19, ...rows].join('\n'), 'latin1');

describe(parseObdCell.name, () => {
  it.each([
    ['82C', 'coolantTempC', true, 82],
    ['2124RPM', 'rpm', true, 2124],
    ['24,77g/s', 'mafGps', true, 24.77],
    ['48km/h', 'speedKph', true, 48],
    ['79,20%', 'engineLoadPct', true, 79.2],
    ['61kPa', 'manifoldPressureKpa', true, 61],
    ['212F', 'coolantTempC', false, 100],
    ['14.1 V', 'batteryV', false, 14.1],
    ['95', 'coolantTempC', false, 95],
  ] as const)('reads %s for %s', (cell, field, decimalComma, expected) => {
    const sut = parseObdCell(cell, field, decimalComma);

    expect(sut.kind).toBe('value');
    expect(sut.kind === 'value' ? sut.value : Number.NaN).toBeCloseTo(expected, 6);
  });

  it.each([
    ['82kPa', 'coolantTempC', true],
    ['hot', 'coolantTempC', true],
    ['24,77', 'mafGps', false],
    ['MIL is OFF', 'rpm', true],
  ] as const)('refuses %s for %s (wrong unit or not a number)', (cell, field, decimalComma) => {
    expect(parseObdCell(cell, field, decimalComma)).toEqual({ kind: 'unreadable' });
  });

  it('treats an empty cell as not reported', () => {
    expect(parseObdCell('  ', 'rpm', true)).toEqual({ kind: 'empty' });
  });
});

describe('unit-suffixed and decimal-comma logs', () => {
  it('imports the 19-driver log with units in every cell', () => {
    const sut = parseCephasaxCsv(
      log19(
        '1,51336E+12;s11;82C;79,20%;2124RPM;61kPa;24,77g/s;36C;48km/h;00:03:02;34,90%',
        '1,51336E+12;s11;83C;78,40%;2617RPM;44kPa;30,96g/s;36C;60km/h;00:03:08;36,10%',
      ),
      { startTs: START_TS },
    );

    const series = sut.get('s11');
    expect(series).toHaveLength(2);
    expect(series?.[0]).toMatchObject({
      coolantTempC: 82,
      engineLoadPct: 79.2,
      rpm: 2124,
      manifoldPressureKpa: 61,
      mafGps: 24.77,
      intakeTempC: 36,
      speedKph: 48,
      throttlePct: 34.9,
      fuelRateEstimated: true,
    });
  });

  it('fails loudly, naming the column and the count, when a column cannot be read', () => {
    const parse = (): unknown =>
      parseCephasaxCsv(
        log19(
          '1;s11;82X;79,20%;2124RPM;61kPa;24,77g/s;36C;48km/h;00:03:02;34,90%',
          '1;s11;83X;78,40%;2617RPM;44kPa;30,96g/s;36C;60km/h;00:03:08;36,10%',
          '1;s11;;78,40%;2617RPM;44kPa;30,96g/s;36C;60km/h;00:03:12;36,10%',
        ),
        { startTs: START_TS },
      );

    expect(parse).toThrow(ObdLogFormatError);
    expect(parse).toThrow('column ENGINE_COOLANT_TEMP: 2 of 2 cells unreadable (e.g. "82X")');
  });

  it('fails loudly on a carOBD log whose speed column carries an unknown unit', () => {
    const text = ['ENGINE_RUN_TINE (),VEHICLE_SPEED (),ENGINE_RPM (),', '1,40 knots,800,', '2,41 knots,820,'].join('\n');

    expect(() => parseCarObdCsv(text, { startTs: START_TS })).toThrow('column VEHICLE_SPEED: 2 of 2 cells unreadable');
  });
});
