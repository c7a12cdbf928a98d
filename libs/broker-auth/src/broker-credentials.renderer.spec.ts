import { type DeviceLogin, renderBrokerCredentials } from './broker-credentials.renderer.js';

const HASH_A = '$7$101$yMibshwtYg+v0LCo$ycbBtAK5Esvmtb+Scmuwbk2NxYcGflUtIz31zXwwgHDMvqI5Y2oZIogU6TdXpwigrRy+BzADCPCpe0Y96b35dQ==';
const HASH_B = '$7$101$AAAAAAAAAAAAAAAA$BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB==';

function device(overrides: Partial<DeviceLogin> = {}): DeviceLogin {
  return { serial: 'dev-0001', vin: 'LCHDEM00000000001', credentialHash: HASH_A, ...overrides };
}

describe(renderBrokerCredentials.name, () => {
  it('gives each device a login and write access to its own telemetry and status topics only, sorted by serial', () => {
    const sut = renderBrokerCredentials([device({ serial: 'dev-b', vin: 'LCHDEM00000000002', credentialHash: HASH_B }), device({ serial: 'dev-a' })]);

    expect(sut.passwordFile).toBe(`dev-a:${HASH_A}\ndev-b:${HASH_B}\n`);
    expect(sut.aclFile.split('\n').filter((line) => !line.startsWith('#'))).toEqual([
      'user dev-a',
      'topic write vehicles/LCHDEM00000000001/telemetry',
      'topic write vehicles/LCHDEM00000000001/status',
      '',
      'user dev-b',
      'topic write vehicles/LCHDEM00000000002/telemetry',
      'topic write vehicles/LCHDEM00000000002/status',
      '',
    ]);
    expect(sut.aclFile).not.toMatch(/topic (read|readwrite)|pattern/);
    expect(sut.skipped).toEqual([]);
  });

  it('renders no device as an empty password file and an ACL that allows nothing', () => {
    const sut = renderBrokerCredentials([]);

    expect(sut.passwordFile).toBe('');
    expect(sut.aclFile.split('\n').every((line) => line === '' || line.startsWith('#'))).toBe(true);
  });

  it('leaves out rows that would break or widen the files, and keeps the others', () => {
    const sut = renderBrokerCredentials([
      device({ serial: 'evil\ntopic readwrite #' }),
      device({ serial: 'has:colon' }),
      device({ serial: 'dev-lower', vin: 'lchdem00000000001' }),
      device({ serial: 'dev-wild', vin: 'LCHDEM0000000000#' }),
      device({ serial: 'dev-bcrypt', credentialHash: '$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234' }),
      device({ serial: 'dev-ok' }),
    ]);

    expect(sut.passwordFile).toBe(`dev-ok:${HASH_A}\n`);
    expect(sut.aclFile).not.toContain('readwrite');
    expect(sut.skipped.map((entry) => entry.serial)).toEqual([
      JSON.stringify('dev-bcrypt'),
      JSON.stringify('dev-lower'),
      JSON.stringify('dev-wild'),
      JSON.stringify('evil\ntopic readwrite #'),
      JSON.stringify('has:colon'),
    ]);
  });

  it("leaves out a serial in the platform's client-id space: as a client id it would take over that client's session", () => {
    const sut = renderBrokerCredentials([device({ serial: 'ingest-1-0' }), device({ serial: 'MQTTJS_1234abcd' }), device({ serial: 'dev-ok' })]);

    expect(sut.passwordFile).toBe(`dev-ok:${HASH_A}\n`);
    expect(sut.skipped).toEqual([
      { serial: JSON.stringify('MQTTJS_1234abcd'), reason: expect.stringMatching(/must not start with ingest-, carhealth-/) },
      { serial: JSON.stringify('ingest-1-0'), reason: expect.stringMatching(/belong to the platform's own services/) },
    ]);
  });
});
