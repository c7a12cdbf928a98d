import { carObdText, readCarObdLog, readCephasaxLog, START_TS } from '../../fixtures/obd-data.fixture.js';
import { obdFileSha256, obdImportSeqBase, OBD_IMPORT_MAX_ROWS, OBD_IMPORT_SEQ_FLOOR } from './obd-import.identity.js';
import type { TelemetrySample } from '../telemetry-sample.js';
import { parseCarObdCsv } from './car-obd.parser.js';
import { parseCephasaxCsv } from './cephasax.parser.js';
import { ObdLogFormatError } from './obd-log.error.js';
import { readObdLog } from './obd-log.reader.js';

const TORQUE_HEADER =
  'GPS Time, Device Time, Longitude, Latitude,GPS Speed (Meters/second),Engine Coolant Temperature(°F),Engine RPM(rpm),Speed (OBD)(km/h),Voltage (Control Module)(V),G(x)';

function torqueLog(rows: readonly string[]): Buffer {
  return Buffer.from([TORQUE_HEADER, ...rows].join('\n'), 'utf8');
}

const column = (reading: ReturnType<typeof readObdLog>, name: string) => reading.columns.find((c) => c.column.trim() === name);

describe(readObdLog.name, () => {
  it('reads a Torque Pro log: units from the headers (°F to °C), "-" as not reported, Device Time as the clock, a repeated header skipped', () => {
    const file = torqueLog([
      'Sat Aug 02 11:34:40 GMT+08:00 2026,02-Aug-2026 11:34:40.210,120.1,36.1,0,194,800,0,14.1,0.1',
      'Sat Aug 02 11:34:41 GMT+08:00 2026,02-Aug-2026 11:34:41.230,120.1,36.1,1,195.8,1500,12,-,0.1',
      TORQUE_HEADER,
      'Sat Aug 02 11:34:42 GMT+08:00 2026,02-Aug-2026 11:34:42.250,120.1,36.1,2,197.6,1800,20,14.0,0.2',
    ]);

    const sut = readObdLog(file, { firstSeq: 7 });

    expect(sut.format).toBe('torque');
    expect(sut.samples.map((s) => [s.ts.toISOString(), s.seq, s.coolantTempC, s.rpm, s.speedKph, s.batteryV])).toEqual([
      ['2026-08-02T11:34:40.210Z', 7, 90, 800, 0, 14.1],
      ['2026-08-02T11:34:41.230Z', 8, 91, 1500, 12, undefined],
      ['2026-08-02T11:34:42.250Z', 9, 92, 1800, 20, 14],
    ]);
    expect(column(sut, 'Engine Coolant Temperature(°F)')).toMatchObject({ readAs: 'coolantTempC', unit: '°C', note: 'header unit °F', values: 3 });
    expect(column(sut, 'Voltage (Control Module)(V)')).toMatchObject({ readAs: 'batteryV', values: 2, empty: 1 });
    expect(column(sut, 'Device Time')?.readAs).toBe('clock');
    expect(column(sut, 'GPS Time')).toMatchObject({ readAs: null, note: expect.stringContaining('Device Time is the clock') as unknown });
    expect(column(sut, 'G(x)')).toMatchObject({ readAs: null, note: 'not a reading the platform stores' });
    expect(sut.samples.every((s) => s.odometerKm === undefined)).toBe(true);
  });

  it('places a Torque log at startedAt when given, keeping the spacing of its times', () => {
    const file = torqueLog(['-,02-Aug-2026 11:34:40.000,-,-,-,190,800,0,14.1,-', '-,02-Aug-2026 11:34:45.000,-,-,-,190,800,0,14.1,-']);
    const sut = readObdLog(file, { firstSeq: 1, startTs: START_TS });
    expect(sut.samples.map((s) => s.ts.getTime() - START_TS.getTime())).toEqual([0, 5000]);
  });

  it('fails loudly on a mapped column it cannot read, naming the column and its count', () => {
    const file = torqueLog([
      '-,02-Aug-2026 11:34:40.000,-,-,-,hot,800,0,14.1,-',
      '-,02-Aug-2026 11:34:41.000,-,-,-,hot,800,0,14.1,-',
      '-,02-Aug-2026 11:34:42.000,-,-,-,194,800,0,14.1,-',
    ]);
    const attempt = () => readObdLog(file, { firstSeq: 1 });
    expect(attempt).toThrow(ObdLogFormatError);
    expect(attempt).toThrow('column Engine Coolant Temperature(°F): 2 of 3 cells unreadable (e.g. "hot")');
  });

  it('reads a carOBD log on its run-time clock from startedAt, and says it needs startedAt without one', () => {
    const text = carObdText([
      [0, 800, 0, 15, 20, 80, 35, 30, 14.1],
      [0, 800, 0, 15, 20, 80, 35, 30, 14.1],
      [1, 1500, 20, 20, 30, 81, 50, 30, 14.0],
    ]);
    const sut = readObdLog(Buffer.from(text), { firstSeq: 1, startTs: START_TS });
    expect(sut).toMatchObject({ format: 'carobd', rowsInFile: 3, repeatedRows: 1 });
    expect(sut.samples.map((s) => s.coolantTempC)).toEqual([80, 81]);
    expect(column(sut, 'ENGINE_RUN_TINE ()')?.readAs).toBe('clock');
    expect(() => readObdLog(Buffer.from(text), { firstSeq: 1 })).toThrow('give startedAt');
  });

  it('reads the real carOBD log and one car of the real cephasax file; a file of several cars asks which one', () => {
    const carObd = readObdLog(Buffer.from(readCarObdLog('drive1')), { firstSeq: 1, startTs: START_TS });
    expect(carObd.samples.length).toBeGreaterThan(1000);
    expect(carObd.columns.filter((c) => c.readAs !== null && c.readAs !== 'clock').map((c) => c.readAs)).toEqual(
      expect.arrayContaining(['speedKph', 'rpm', 'coolantTempC', 'batteryV']),
    );

    const cephasax = readCephasaxLog();
    expect(() => readObdLog(cephasax, { firstSeq: 1, startTs: START_TS })).toThrow('give logVehicle');
    const one = readObdLog(cephasax, { firstSeq: 1, startTs: START_TS, logVehicle: 'control1' });
    expect(one.logVehicles).toHaveLength(4);
    expect(one.samples.length).toBeGreaterThan(100);
    expect(one.columns.find((c) => c.column === 'AMBIENT_AIR_TEMP')?.note).toContain('not the ambient temperature');
  });

  it('reads the real logs row for row as the replay parsers do (repeated rows dropped once, counted once per column)', () => {
    const withoutOdometer = (samples: readonly TelemetrySample[]) => samples.map(({ odometerKm: _odometer, ...rest }) => rest);
    const carObdLog = readCarObdLog('drive1');
    const carObd = readObdLog(Buffer.from(carObdLog), { firstSeq: 1, startTs: START_TS });
    expect(carObd.samples).toEqual(withoutOdometer(parseCarObdCsv(carObdLog, { startTs: START_TS })));
    expect(carObd.repeatedRows).toBeGreaterThan(0);
    expect(column(carObd, 'COOLANT_TEMPERATURE ()')?.values).toBe(carObd.samples.length);
    expect(column(carObd, 'ENGINE_RUN_TINE ()')?.values).toBe(carObd.samples.length);

    const cephasax = readObdLog(readCephasaxLog(), { firstSeq: 1, startTs: START_TS, logVehicle: 'control2' });
    expect(cephasax.samples).toEqual(withoutOdometer(parseCephasaxCsv(readCephasaxLog(), { startTs: START_TS }).get('control2') ?? []));
  });

  it('reads a unit-suffixed cephasax log (82C, 2124RPM, 24,77g/s) as the plain one', () => {
    const plain = 'VEHICLE_ID;ENGINE_RUNTIME;ENGINE_COOLANT_TEMP;ENGINE_RPM;MAF\nc1;00:00:01;82;2124;24,77\nc1;00:00:02;83;2200;25,1\n';
    const suffixed =
      'VEHICLE_ID;ENGINE_RUNTIME;ENGINE_COOLANT_TEMP;ENGINE_RPM;MAF\nc1;00:00:01;82C;2124RPM;24,77g/s\nc1;00:00:02;83C;2200RPM;25,1g/s\n';
    const read = (text: string) => readObdLog(Buffer.from(text, 'latin1'), { firstSeq: 1, startTs: START_TS });
    expect(read(suffixed).samples).toEqual(read(plain).samples);
    expect(read(suffixed).samples[0]).toMatchObject({ coolantTempC: 82, rpm: 2124, mafGps: 24.77 });
  });

  it('refuses a file in no format it reads', () => {
    expect(() => readObdLog(Buffer.from('a,b,c\n1,2,3\n'), { firstSeq: 1 })).toThrow('not an OBD-II log we read');
  });
});

describe(obdImportSeqBase.name, () => {
  it('gives a file the same block every time, above every device seq and within the contract limit', () => {
    const sha = obdFileSha256(Buffer.from('a log'));
    const sut = obdImportSeqBase(sha, null);
    expect(obdImportSeqBase(sha, null)).toBe(sut);
    expect(obdImportSeqBase(sha, 'control2')).not.toBe(sut);
    expect(sut).toBeGreaterThanOrEqual(OBD_IMPORT_SEQ_FLOOR);
    expect(sut + OBD_IMPORT_MAX_ROWS - 1).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    expect((sut - OBD_IMPORT_SEQ_FLOOR) % OBD_IMPORT_MAX_ROWS).toBe(0);
  });
});
