import { detectObdLogFormat } from './obd-log-format.js';
import { readCarObdLog, readCephasaxLog } from '../../fixtures/obd-data.fixture.js';

describe(detectObdLogFormat.name, () => {
  it('recognises both real logs from their header', () => {
    expect(detectObdLogFormat(readCarObdLog('ufpe3'))).toBe('carobd');
    expect(detectObdLogFormat(readCephasaxLog().toString('latin1'))).toBe('cephasax');
  });

  it('returns undefined for anything else', () => {
    expect(detectObdLogFormat('ts,speed,rpm\n1,2,3')).toBeUndefined();
    expect(detectObdLogFormat('')).toBeUndefined();
  });
});
