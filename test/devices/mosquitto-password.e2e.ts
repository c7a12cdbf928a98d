import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateDeviceSecret, hashMosquittoPassword, renderBrokerCredentials, verifyMosquittoPassword } from '#app/broker-auth';
import { randomVin } from '../support/fixtures.js';
import { connectMqtt, MOSQUITTO_PASSWD, type MqttRefusal, ScratchMosquitto } from './mosquitto-broker.fixture.js';

const run = promisify(execFile);

// Our $7$ hash against the real Mosquitto 2.0 tools: what mosquitto_passwd writes, we verify; what we
// write, Mosquitto's own login code accepts.
describe('Mosquitto password interop', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mosquitto-passwd-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('verifies passwords hashed by mosquitto_passwd, and refuses wrong ones', async () => {
    const secrets = ['secret1', generateDeviceSecret(), 'with spaces and ünïcode'];
    for (const [index, secret] of secrets.entries()) {
      const file = join(dir, `pw-${index}`);
      await run(MOSQUITTO_PASSWD, ['-c', '-b', file, `user${index}`, secret]);
      const hash = (await readFile(file, 'utf8')).trim().split(':')[1]!;

      expect(hash).toMatch(/^\$7\$101\$/);
      expect(verifyMosquittoPassword(secret, hash)).toBe(true);
      expect(verifyMosquittoPassword(`${secret}x`, hash)).toBe(false);
    }
  });

  describe('a password file we render', () => {
    const secret = generateDeviceSecret();
    const vin = randomVin();
    let broker: ScratchMosquitto;
    let url: string;

    beforeAll(async () => {
      broker = await ScratchMosquitto.start({
        files: renderBrokerCredentials([{ serial: 'dev-interop', vin, credentialHash: hashMosquittoPassword(secret) }]),
      });
      url = broker.deviceUrl;
    });

    afterAll(async () => {
      await broker.stop();
    });

    it('lets the device log in to a real Mosquitto and publish to its own topic', async () => {
      const device = await connectMqtt(url, { username: 'dev-interop', password: secret });
      try {
        await expect(device.publishAsync(`vehicles/${vin}/telemetry`, '{}', { qos: 1 })).resolves.toBeDefined();
      } finally {
        await device.endAsync();
      }
    });

    it('refuses a wrong password with CONNACK 0x87 Not authorized', async () => {
      await expect(connectMqtt(url, { username: 'dev-interop', password: `${secret}x` })).rejects.toMatchObject({
        code: 0x87,
      } satisfies MqttRefusal);
    });
  });
});
