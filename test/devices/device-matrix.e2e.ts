import type { INestApplication } from '@nestjs/common';
import type { IClientSubscribeOptions, MqttClient } from 'mqtt';
import request from 'supertest';
import { hashMosquittoPassword, renderBrokerCredentials } from '#app/broker-auth';
import { type AppConfig, ingestionClientId, loadApiConfig } from '#app/config';
import type { PrismaClient } from '#app/database';
import { createTenant, startApi, tokenFor, uniqueVin } from '../api/api-test.fixtures.js';
import { connectMqtt, type MqttRefusal, ScratchMosquitto, waitUntil } from './mosquitto-broker.fixture.js';

interface ProvisionedDevice {
  id: string;
  serial: string;
  username: string;
  password: string;
  mqtt: { topic: string };
}

interface DeviceLogin {
  readonly username: string;
  readonly password: string;
  readonly topic: string;
}

/** MQTT 5 SUBACK/PUBACK/CONNACK 0x87 Not authorized; MQTT 3.1.1 SUBACK 0x80 Failure. */
const NOT_AUTHORIZED = 0x87;
const SUBACK_FAILURE_V311 = 0x80;
/** The API's SIGHUP is handled on the broker's next loop turn: a login right after the answer may precede it. */
const RELOAD_MS = 5000;
const SHARE_MESSAGES = 1000;

/** Every kind of filter a device could try: its own topic, others', wildcards, shared groups, broker topics. */
function subscriptionKinds(ownTopic: string, otherTopic: string, shareGroup: string): string[] {
  return [
    ownTopic,
    otherTopic,
    'vehicles/+/telemetry',
    'vehicles/#',
    '#',
    '+/#',
    '+/+/+',
    `$share/${shareGroup}/vehicles/+/telemetry`,
    `$share/${shareGroup}/#`,
    `$share/other-group/${ownTopic}`,
    '$SYS/#',
    '$CONTROL/#',
  ];
}

/**
 * What a device can do at the broker, tried as an attacker holding one device's credentials would: publish for
 * another car, subscribe with every kind of filter (plain, wildcard, `$share`, `$SYS`), join ingestion's shared
 * subscription while telemetry flows, take a client id of the platform's, and keep going once revoked. The
 * broker is this file's own Mosquitto with the settings scripts/infra.sh and docker/mosquitto.conf give the
 * device listener; "before" figures come from the same broker without the subscription plugin (the setup
 * before issue 9). Each section prints its figures.
 */
describe('Device matrix at the broker', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let config: AppConfig;
  let broker: ScratchMosquitto;
  let deviceUrl: string;
  let staff: string;
  let vinA: string;
  let vinB: string;
  let deviceA: ProvisionedDevice;
  let deviceB: ProvisionedDevice;
  const clients: MqttClient[] = [];
  const figures: string[] = [];

  const http = () => request(app.getHttpServer());

  async function provision(vin: string, body: object = {}): Promise<ProvisionedDevice> {
    const response = await http().post(`/api/v1/vehicles/${vin}/devices`).set('Authorization', `Bearer ${staff}`).send(body).expect(201);
    return response.body as ProvisionedDevice;
  }

  async function track(client: Promise<MqttClient>): Promise<MqttClient> {
    const connected = await client;
    clients.push(connected);
    return connected;
  }

  /** Logs the device in, retrying while the broker has not yet reloaded the files the API just wrote. */
  async function connectDevice(url: string, device: DeviceLogin, protocolVersion: 4 | 5 = 5): Promise<MqttClient> {
    let client: MqttClient | undefined;
    await waitUntil(
      async () => {
        client = await connectMqtt(url, { username: device.username, password: device.password, protocolVersion }).catch(() => undefined);
        return client !== undefined;
      },
      RELOAD_MS,
      `device ${device.username} to be let in`,
    );
    clients.push(client!);
    return client!;
  }

  /** The reason codes of a SUBACK, granted or not (mqtt.js rejects a SUBACK that refuses any filter). */
  async function subackCodes(client: MqttClient, filters: string[], options: IClientSubscribeOptions = { qos: 1 }): Promise<number[]> {
    try {
      return (await client.subscribeAsync(filters, options)).map((grant) => grant.qos);
    } catch (error) {
      const granted = (error as { packet?: { granted?: number[] } }).packet?.granted;
      if (granted === undefined) throw error;
      return granted;
    }
  }

  /**
   * Two ingestion stand-ins share `$share/<group>/vehicles/+/telemetry` on the internal listener; the thief
   * device tries to join the group, then the other devices publish SHARE_MESSAGES QoS 1 messages on their own
   * topics, each acknowledged by the broker. Lost: acknowledged to a car and received by neither group member.
   * (The thief is a device of its own: a second login with its client id would end its session.)
   */
  async function shareTheft(url: string, internalUrl: string, thiefLogin: DeviceLogin, devices: readonly DeviceLogin[]) {
    const filter = `$share/${config.mqtt.shareGroup}/vehicles/+/telemetry`;
    const received = new Set<string>();
    for (let member = 0; member < 2; member += 1) {
      const ingest = await track(connectMqtt(internalUrl));
      ingest.on('message', (_topic, payload) => received.add(payload.toString()));
      await ingest.subscribeAsync(filter, { qos: 1 });
    }
    const thief = await connectDevice(url, thiefLogin);
    const stolen: string[] = [];
    thief.on('message', (_topic, payload) => stolen.push(payload.toString()));
    const thiefSuback = await subackCodes(thief, [filter]);

    const publishers = await Promise.all(devices.map((device) => connectDevice(url, device)));
    let acknowledged = 0;
    await Promise.all(
      publishers.map(async (publisher, index) => {
        for (let seq = index; seq < SHARE_MESSAGES; seq += publishers.length) {
          await publisher.publishAsync(devices[index]!.topic, `m-${seq}`, { qos: 1 });
          acknowledged += 1;
        }
      }),
    );
    // Whatever reached a group member has arrived once the last PUBACK is in plus a delivery round trip; a
    // message given to the device is not coming: wait for all of them or for a quiet second.
    let last = -1;
    await waitUntil(
      async () => {
        if (received.size === SHARE_MESSAGES) return true;
        const settled = received.size === last;
        last = received.size;
        await new Promise((resolve) => setTimeout(resolve, 500));
        return settled && received.size === last;
      },
      20_000,
      'the share group to receive what it will',
    );
    return {
      thiefSuback,
      thiefConnected: thief.connected,
      acknowledged,
      received: received.size,
      lost: acknowledged - received.size,
      deliveredToDevice: stolen.length,
    };
  }

  beforeAll(async () => {
    broker = await ScratchMosquitto.start({ internalListener: true });
    ({ app, prisma } = await startApi(() => (config = loadApiConfig({ ...process.env, ...broker.deviceAuthEnv() }))));
    deviceUrl = `mqtt://${config.brokerAuth.deviceEndpoint.host}:${config.brokerAuth.deviceEndpoint.port}`;
    const centerA = await createTenant(prisma, 'matrix-a');
    const centerB = await createTenant(prisma, 'matrix-b');
    // One staff member serves both cars: the matrix is about the broker, not about the API's center scoping.
    await prisma.vehicle.update({ where: { id: centerB.vehicle.id }, data: { serviceCenterId: centerA.center.id } });
    staff = await tokenFor(app, centerA.staff.email);
    vinA = centerA.vehicle.vin;
    vinB = centerB.vehicle.vin;
    deviceA = await provision(vinA);
    deviceB = await provision(vinB);
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.endAsync(true)));
    await app?.close();
    await broker?.stop();
    console.log(`device matrix figures:\n${figures.map((line) => `  ${line}`).join('\n')}`);
  });

  const loginOf = (device: ProvisionedDevice): DeviceLogin => ({ username: device.username, password: device.password, topic: device.mqtt.topic });

  it("refuses a device's publish anywhere but its own telemetry topic (PUBACK 0x87), and delivers none of it", async () => {
    const observer = await track(connectMqtt(broker.internalUrl));
    const seen: { topic: string; payload: string }[] = [];
    observer.on('message', (topic, payload) => seen.push({ topic, payload: payload.toString() }));
    await observer.subscribeAsync(['#', '$SYS/broker/connection/#'], { qos: 1 });
    const client = await connectDevice(deviceUrl, loginOf(deviceA));
    const forbidden = [
      `vehicles/${vinB}/telemetry`,
      `vehicles/${uniqueVin()}/telemetry`,
      `vehicles/${vinA}/telemetry/extra`,
      `vehicles/${vinA}/commands`,
      `vehicles/${vinA.toLowerCase()}/telemetry`,
      'vehicles',
      '$SYS/broker/connection/x/state',
      `$share/${config.mqtt.shareGroup}/vehicles/${vinA}/telemetry`,
    ];

    const outcomes = await Promise.all(
      forbidden.map((topic) =>
        client.publishAsync(topic, `spoof ${topic}`, { qos: 1 }).then(
          () => 'accepted',
          (error: MqttRefusal) => error.code,
        ),
      ),
    );
    // The broker forwards one client's messages in order: once the device's own barrier arrived, a delivered
    // spoof would have arrived too.
    await client.publishAsync(deviceA.mqtt.topic, 'barrier', { qos: 1 });
    await waitUntil(() => seen.some((message) => message.payload === 'barrier'), 5000, 'the barrier message');

    const delivered = seen.filter((message) => message.payload.startsWith('spoof'));
    figures.push(
      `cross-VIN publish: ${outcomes.filter((code) => code === NOT_AUTHORIZED).length}/${forbidden.length} refused with 0x87, ${delivered.length} delivered`,
    );
    expect(outcomes).toEqual(forbidden.map(() => NOT_AUTHORIZED));
    expect(delivered).toEqual([]);
    expect(client.connected).toBe(true);
  });

  it('refuses every kind of subscription in its SUBACK, in MQTT 5 (0x87) and 3.1.1 (0x80), and delivers nothing', async () => {
    const filters = subscriptionKinds(deviceA.mqtt.topic, deviceB.mqtt.topic, config.mqtt.shareGroup);
    const v5 = await connectDevice(deviceUrl, loginOf(deviceA), 5);
    const v5Codes = await subackCodes(v5, filters);
    await v5.endAsync();
    const v311 = await connectDevice(deviceUrl, loginOf(deviceA), 4);
    const v311Codes = await subackCodes(v311, filters);
    const seen: string[] = [];
    v311.on('message', (topic) => seen.push(topic));

    const ours = await track(connectMqtt(broker.internalUrl));
    await ours.publishAsync(deviceA.mqtt.topic, 'from our side', { qos: 1 });
    await ours.publishAsync(deviceB.mqtt.topic, 'from our side', { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));

    figures.push(
      `subscriptions: MQTT 5 ${v5Codes.filter((code) => code === NOT_AUTHORIZED).length}/${filters.length} refused (0x87), ` +
        `MQTT 3.1.1 ${v311Codes.filter((code) => code === SUBACK_FAILURE_V311).length}/${filters.length} refused (0x80), ${seen.length} delivered`,
    );
    expect(v5Codes).toEqual(filters.map(() => NOT_AUTHORIZED));
    expect(v311Codes).toEqual(filters.map(() => SUBACK_FAILURE_V311));
    expect(seen).toEqual([]);
  });

  it(`loses none of ${SHARE_MESSAGES} messages to a device in ingestion's share group: its SUBACK says refused`, async () => {
    const thief = await provision(vinA);
    const outcome = await shareTheft(deviceUrl, broker.internalUrl, loginOf(thief), [loginOf(deviceA), loginOf(deviceB)]);

    figures.push(
      `share-group theft: SUBACK ${outcome.thiefSuback.map((code) => `0x${code.toString(16)}`).join(',')}, ` +
        `${outcome.received}/${outcome.acknowledged} acknowledged messages stored by the group, ${outcome.lost} lost`,
    );
    expect(outcome.thiefSuback).toEqual([NOT_AUTHORIZED]);
    expect(outcome).toMatchObject({ thiefConnected: true, acknowledged: SHARE_MESSAGES, received: SHARE_MESSAGES, lost: 0, deliveredToDevice: 0 });
  });

  it('(control) the same probe on the broker without the plugin: the device is granted the group and messages are lost', async () => {
    const [thief, ...logins] = ['ctl-thief', 'ctl-a', 'ctl-b'].map((username) => ({
      username,
      password: `${username}-secret`,
      topic: `vehicles/${uniqueVin()}/telemetry`,
    }));
    const unprotected = await ScratchMosquitto.start({
      internalListener: true,
      refuseDeviceSubscriptions: false,
      files: renderBrokerCredentials(
        [thief!, ...logins].map((login) => ({
          serial: login.username,
          vin: login.topic.split('/')[1]!,
          credentialHash: hashMosquittoPassword(login.password),
        })),
      ),
    });
    try {
      const outcome = await shareTheft(unprotected.deviceUrl, unprotected.internalUrl, thief!, logins);

      figures.push(
        `share-group theft without the plugin (before): SUBACK 0x${outcome.thiefSuback[0]!.toString(16)}, ` +
          `${outcome.received}/${outcome.acknowledged} stored, ${outcome.lost} lost`,
      );
      // Proves the probe sees the loss it guards against: one member of three takes about a third.
      expect(outcome.thiefSuback).toEqual([1]);
      expect(outcome.thiefConnected).toBe(true);
      expect(outcome.lost).toBeGreaterThan(SHARE_MESSAGES / 10);
      expect(outcome.deliveredToDevice).toBe(0);
    } finally {
      await Promise.all(clients.splice(0).map((client) => client.endAsync(true)));
      await unprotected.stop();
    }
  });

  it("refuses at provisioning every serial in the platform's client-id space, ingestion's own ids first (400, reason given)", async () => {
    const composeIngestion = loadApiConfig({ ...process.env, INGEST_CLIENT_ID: 'ingest-compose-1' }).ingestion;
    const ingestionIds = [config.ingestion, composeIngestion].flatMap((ingestion) =>
      Array.from({ length: Math.max(ingestion.connections, 4) }, (_, index) => ingestionClientId(ingestion, index)),
    );
    const otherInternal = ['INGEST-1-0', 'carhealth-api-ready-0a1b2c3d', 'sim-host-1234-1', 'mqttjs_0a1b2c3d', 'auto-0A1B2C3D'];

    const answers = await Promise.all(
      [...ingestionIds, ...otherInternal].map(async (serial) => {
        const response = await http().post(`/api/v1/vehicles/${vinA}/devices`).set('Authorization', `Bearer ${staff}`).send({ serial });
        return { serial, status: response.status, body: response.body as { issues?: { path: string; message: string }[] } };
      }),
    );

    figures.push(
      `client-id collision: ${answers.filter((answer) => answer.status === 400).length}/${answers.length} internal ids refused as serials ` +
        `(ingestion's: ${ingestionIds.slice(0, 2).join(', ')}, ...)`,
    );
    for (const answer of answers) {
      expect(answer).toMatchObject({
        status: 400,
        body: { issues: [{ path: 'serial', message: expect.stringContaining("belong to the platform's own services") }] },
      });
    }
    expect(await prisma.device.count({ where: { serial: { in: [...ingestionIds, ...otherInternal] } } })).toBe(0);
  });

  it("keeps ingestion's connections up while every device logs in (and shows the takeover the rule prevents)", async () => {
    const ingestionIds = [0, 1].map((index) => ingestionClientId(config.ingestion, index));
    const ingest = await Promise.all(ingestionIds.map((clientId) => track(connectMqtt(broker.internalUrl, { clientId }))));
    await connectDevice(deviceUrl, loginOf(deviceA));
    await connectDevice(deviceUrl, loginOf(deviceB));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ingest.map((client) => client.connected)).toEqual([true, true]);

    // Before: a device whose serial is ingestion's id (written by hand: the renderer leaves such a row out).
    const impostor = { username: ingestionIds[0]!, password: 'impostor-secret' };
    const handWritten = await ScratchMosquitto.start({
      internalListener: true,
      files: {
        passwordFile: `${impostor.username}:${hashMosquittoPassword(impostor.password)}\n`,
        aclFile: `user ${impostor.username}\ntopic write vehicles/${vinA}/telemetry\n`,
      },
    });
    try {
      const victim = await connectMqtt(handWritten.internalUrl, { clientId: impostor.username });
      const kicked = new Promise<void>((resolve) => victim.once('close', () => resolve()));
      const device = await connectMqtt(handWritten.deviceUrl, impostor);
      await kicked;
      figures.push(
        `client-id collision: ${ingest.filter((client) => client.connected).length}/2 ingestion connections up after devices logged in; ` +
          `a device named ${impostor.username} (rule off) knocked its connection off: ${!victim.connected}`,
      );
      expect(victim.connected).toBe(false);
      await device.endAsync(true);
      await victim.endAsync(true);
    } finally {
      await handWritten.stop();
    }
    expect(renderBrokerCredentials([{ serial: impostor.username, vin: vinA, credentialHash: hashMosquittoPassword('x') }]).passwordFile).toBe('');
  });

  it('revokes a device: dropped at once and refused at its next login (CONNACK 0x87)', async () => {
    const device = await provision(vinA);
    const client = await connectDevice(deviceUrl, loginOf(device));
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));

    await http().post(`/api/v1/devices/${device.id}/revoke`).set('Authorization', `Bearer ${staff}`).expect(200);
    const started = Date.now();
    await closed;
    const droppedMs = Date.now() - started;
    const login = await connectMqtt(deviceUrl, { username: device.username, password: device.password }).then(
      (late) => {
        clients.push(late);
        return 'accepted';
      },
      (error: MqttRefusal) => error.code,
    );

    figures.push(
      `revoked device: dropped ${droppedMs} ms after the API answered, login answered ${typeof login === 'number' ? `0x${login.toString(16)}` : login}`,
    );
    expect(login).toBe(NOT_AUTHORIZED);
  });
});
