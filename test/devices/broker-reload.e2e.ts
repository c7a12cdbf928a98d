// Mosquitto loses a SIGHUP that arrives while it is reloading (its loop reads the files, then clears the flag the
// signal set), so a device change written a few ms after another could stay unseen: a CI run under load had a
// provisioned device refused for good. The writer asks once more after the writes go quiet
// (BrokerCredentialsWriter.settleLater). Here the real broker, and the second write's own signal swallowed, as the
// broker would have lost it.
import { jest } from '@jest/globals';
import { BrokerCredentialsWriter, generateDeviceSecret, hashMosquittoPassword, renderBrokerCredentials } from '#app/broker-auth';
import { randomVin } from '../support/fixtures.js';
import { waitUntil } from '../support/ports.js';
import { connectMqtt, ScratchMosquitto } from './mosquitto-broker.fixture.js';

// Long enough that the check right after the write comes before it even on a loaded machine.
const SETTLE_MS = 3_000;

describe('device logins after a lost reload signal', () => {
  let broker: ScratchMosquitto;
  const first = { serial: 'dev-reload-first', vin: randomVin(), secret: generateDeviceSecret() };
  const second = { serial: 'dev-reload-second', vin: randomVin(), secret: generateDeviceSecret() };
  const login = (device: typeof first) => ({ serial: device.serial, vin: device.vin, credentialHash: hashMosquittoPassword(device.secret) });
  /** Whether the broker lets the device in now (a refused login rejects). */
  const letIn = async (device: typeof first): Promise<boolean> => {
    const client = await connectMqtt(broker.deviceUrl, { username: device.serial, password: device.secret }).catch(() => undefined);
    await client?.endAsync(true);
    return client !== undefined;
  };

  beforeAll(async () => {
    broker = await ScratchMosquitto.start();
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await broker.stop();
  });

  it('are loaded by the settling reload when the write own signal was lost', async () => {
    const env = broker.deviceAuthEnv();
    const writer = new BrokerCredentialsWriter(
      { passwordFile: env.MQTT_DEVICE_PASSWORD_FILE, aclFile: env.MQTT_DEVICE_ACL_FILE, pidFile: env.MQTT_BROKER_PID_FILE },
      SETTLE_MS,
    );
    expect(await writer.write(renderBrokerCredentials([login(first)]))).toBe('reloaded');
    await waitUntil(() => letIn(first), 5000, 'the first device to be let in');

    // The second write's SIGHUP never reaches the broker, as when it lands in the middle of a reload.
    const kill = jest.spyOn(process, 'kill').mockImplementationOnce(() => true);
    expect(await writer.write(renderBrokerCredentials([login(first), login(second)]))).toBe('reloaded');
    expect(kill).toHaveBeenCalledWith(expect.any(Number), 'SIGHUP');
    expect(await letIn(second)).toBe(false); // the broker still has the first file

    await waitUntil(() => letIn(second), SETTLE_MS + 5000, 'the second device to be let in after the settling reload');
    expect(kill.mock.calls.filter(([, signal]) => signal === 'SIGHUP')).toHaveLength(2);
    expect(await letIn(first)).toBe(true);
  });
});
