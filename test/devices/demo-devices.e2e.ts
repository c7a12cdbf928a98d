import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { BrokerCredentialsSync } from '#app/broker-auth';
import { loadApiConfig } from '#app/config';
import { createPrismaClient, type PrismaClient } from '#app/database';
import { readDeviceLogins } from '../../apps/simulator/src/publish/device-logins.reader.js';
import { MqttFleetPublisher } from '../../apps/simulator/src/publish/mqtt-fleet.publisher.js';
import { demoDeviceSerial, provisionDemoDevices } from '../../prisma/demo-devices.js';
import { DEMO_VEHICLES, seedDemoData } from '../../prisma/seed.js';
import { testEnv } from '../support/test-env.js';
import { connectMqtt, ScratchMosquitto, waitUntil } from './mosquitto-broker.fixture.js';

/** `npm start`'s demo fleet as devices: seeded logins, rendered into a (private) broker, used by the simulator. */
describe(provisionDemoDevices.name, () => {
  let broker: ScratchMosquitto;
  let prisma: PrismaClient;
  let sync: BrokerCredentialsSync;
  let dir: string;
  let file: string;
  let vehicles: { id: string; vin: string }[];
  let observer: MqttClient;
  const received: string[] = [];

  const provision = () => provisionDemoDevices(prisma, vehicles, file, { host: '127.0.0.1', port: broker.devicePort });

  beforeAll(async () => {
    broker = await ScratchMosquitto.start({ internalListener: true });
    const config = loadApiConfig({ ...process.env, ...broker.deviceAuthEnv() });
    prisma = createPrismaClient(testEnv.databaseUrl, 2);
    sync = new BrokerCredentialsSync(prisma, config.brokerAuth.files);
    dir = await mkdtemp(join(tmpdir(), 'demo-devices-'));
    file = join(dir, 'demo-devices.json');
    const seeded = await seedDemoData(prisma);
    vehicles = DEMO_VEHICLES.map((vehicle, index) => ({ vin: vehicle.vin, id: seeded.vehicleIds[index]! }));
    observer = await connectMqtt(broker.internalUrl);
    observer.on('message', (topic) => received.push(topic));
    await observer.subscribeAsync('vehicles/+/telemetry', { qos: 1 });
  });

  afterAll(async () => {
    await observer?.endAsync(true);
    await prisma?.$disconnect();
    await broker?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives every demo car a device whose login the simulator uses on the device listener, one connection per car', async () => {
    await provision();
    await sync.sync();
    const logins = await readDeviceLogins(file);

    expect(logins.mqtt).toEqual({ host: '127.0.0.1', port: broker.devicePort });
    expect(logins.devices.map((device) => device.serial)).toEqual(vehicles.map((vehicle) => demoDeviceSerial(vehicle.vin)));
    // Retried: the broker re-reads its files on the SIGHUP the sync just sent, on its next loop turn.
    let publisher: MqttFleetPublisher | undefined;
    await waitUntil(
      async () =>
        (publisher = await MqttFleetPublisher.connectAsDevices({ url: broker.deviceUrl, devices: logins.devices }).catch(() => undefined)) !==
        undefined,
      5000,
      'the demo devices to be let in',
    );
    try {
      for (const { vin } of vehicles) await publisher!.send(vin, [{ ts: new Date(), seq: 1 }]);
      await waitUntil(() => vehicles.every(({ vin }) => received.includes(`vehicles/${vin}/telemetry`)), 5000, 'every car at the subscriber');
      expect(publisher!.stats.errors).toBe(0);
    } finally {
      await publisher!.close();
    }
  });

  it('is idempotent: a second run keeps the secrets that work', async () => {
    await provision();
    const before = await readFile(file, 'utf8');

    expect(await provision()).toEqual({ kept: vehicles.length, renewed: 0 });
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('gives a revoked demo device a new secret and makes it active again (the old secret stays dead)', async () => {
    await provision();
    const serial = demoDeviceSerial(vehicles[0]!.vin);
    const old = (await readDeviceLogins(file)).devices[0]!.password;
    await prisma.device.update({ where: { serial }, data: { status: 'REVOKED' } });

    expect(await provision()).toEqual({ kept: vehicles.length - 1, renewed: 1 });
    expect((await readDeviceLogins(file)).devices[0]!.password).not.toBe(old);
    expect((await prisma.device.findUniqueOrThrow({ where: { serial } })).status).toBe('ACTIVE');
  });

  it('fails as a whole when the device listener is not there, so the simulator can fall back', async () => {
    await provision();
    const { devices } = await readDeviceLogins(file);
    const nothingListening = 'mqtt://127.0.0.1:1';

    await expect(MqttFleetPublisher.connectAsDevices({ url: nothingListening, devices })).rejects.toThrow(/demo-/);
  });
});
