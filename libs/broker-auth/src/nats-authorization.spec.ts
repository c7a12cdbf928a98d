import bcrypt from 'bcryptjs';
import { hashNatsPassword, natsSubjectOfTopic, renderNatsAuthorization } from './nats-authorization.js';

describe(renderNatsAuthorization.name, () => {
  const platform = { user: 'carhealth', password: 'platformsecret' };

  it('gives each device publish rights on its own VIN subjects only, and the platform user everything', async () => {
    const hash = await hashNatsPassword('device-secret');
    expect(await bcrypt.compare('device-secret', hash)).toBe(true);
    const { config, skipped } = renderNatsAuthorization(platform, [
      { serial: 'dev-b', vin: '1HGCM82633A004352', natsCredentialHash: hash },
      { serial: 'dev-a', vin: 'LCHDEM00000000001', natsCredentialHash: hash },
    ]);
    expect(skipped).toEqual([]);
    expect(config).toContain('{ user: "carhealth", password: "platformsecret" }');
    expect(config).toContain(
      `{ user: "dev-a", password: "${hash}",\n      permissions: { publish: { allow: ["vehicles.LCHDEM00000000001.telemetry", "vehicles.LCHDEM00000000001.status"] }, subscribe: { deny: [">"] } } }`,
    );
    // Sorted by serial: the same rows always give the same bytes.
    expect(config.indexOf('"dev-a"')).toBeLessThan(config.indexOf('"dev-b"'));
  });

  it('leaves out devices without a NATS hash, with a bad serial, VIN or hash', () => {
    const { config, skipped } = renderNatsAuthorization(platform, [
      { serial: 'dev-old', vin: 'LCHDEM00000000001', natsCredentialHash: null },
      { serial: 'ingest-1', vin: 'LCHDEM00000000001', natsCredentialHash: '$2a$06$abcdefghijklmnopqrstuv1234567890123456789012345678901' },
      { serial: 'dev-lower', vin: 'lchdem00000000001', natsCredentialHash: '$2a$06$abcdefghijklmnopqrstuv1234567890123456789012345678901' },
      { serial: 'dev-quote', vin: 'LCHDEM00000000001', natsCredentialHash: '"}, { user: "x' },
    ]);
    expect(skipped.map((entry) => entry.serial)).toEqual(['"dev-lower"', '"dev-old"', '"dev-quote"', '"ingest-1"']);
    expect(config).not.toContain('dev-');
  });

  it('maps MQTT topics to NATS subjects as the MQTT listener does', () => {
    expect(natsSubjectOfTopic('vehicles/LCHDEM00000000001/telemetry')).toBe('vehicles.LCHDEM00000000001.telemetry');
  });
});
