import { loadApiConfig } from './app-config.js';
import { deviceStatusClientId, ingestionClientId, isInternalClientId } from './mqtt-client-ids.js';

describe(isInternalClientId.name, () => {
  it("holds every id the platform's own clients connect with, whatever the letter case", () => {
    for (const id of [
      'ingest-1-0',
      'ingest-compose-1-1',
      'INGEST-1-0',
      'carhealth-api-ready-1a2b3c4d',
      'sim-host-42-1',
      'mqttjs_3f2a9c1b',
      'auto-5D2F',
    ]) {
      expect(isInternalClientId(id)).toBe(true);
    }
  });

  it('leaves device serials outside it (generated and hardware ones)', () => {
    for (const id of ['dev-0123456789abcdef', 'obd-1HGCM82633A004352', 'ingest', 'ingestor-7', 'simcard-1', 'SN-000123']) {
      expect(isInternalClientId(id)).toBe(false);
    }
  });
});

describe(ingestionClientId.name, () => {
  const base = { DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db' };

  it("names ingestion's connections after INGEST_CLIENT_ID, inside the internal space", () => {
    const { ingestion } = loadApiConfig(base);
    const ids = Array.from({ length: ingestion.connections }, (_, index) => ingestionClientId(ingestion, index));
    expect(ids).toEqual(['ingest-1-0', 'ingest-1-1']);
    expect(ids.every(isInternalClientId)).toBe(true);
  });

  it('refuses an INGEST_CLIENT_ID a device could be given', () => {
    expect(() => loadApiConfig({ ...base, INGEST_CLIENT_ID: 'obd-1' })).toThrow(/INGEST_CLIENT_ID: must start with ingest-/);
    expect(() => loadApiConfig({ ...base, INGEST_CLIENT_ID: 'ingest-' })).toThrow(/INGEST_CLIENT_ID/);
    expect(loadApiConfig({ ...base, INGEST_CLIENT_ID: 'ingest-compose-1' }).ingestion.clientId).toBe('ingest-compose-1');
  });
});

describe(deviceStatusClientId.name, () => {
  it("is inside the internal space, per replica, and never one of the replica's telemetry connections", () => {
    const { ingestion } = loadApiConfig({ DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db', INGEST_CLIENT_ID: 'ingest-compose-2' });
    const sut = deviceStatusClientId(ingestion);
    expect(sut).toBe('ingest-compose-2-status');
    expect(isInternalClientId(sut)).toBe(true);
    expect(Array.from({ length: ingestion.connections }, (_, index) => ingestionClientId(ingestion, index))).not.toContain(sut);
  });
});
