import { readFile } from 'node:fs/promises';
import type { INestApplication } from '@nestjs/common';
import type { MqttClient } from 'mqtt';
import request from 'supertest';
import type { AppConfig } from '#app/config';
import type { PrismaClient } from '#app/database';
import { verifyMosquittoPassword } from '#app/broker-auth';
import { loadApiConfig } from '#app/config';
import { createTenant, startApi, tokenFor } from '../api/api-test.fixtures.js';
import { connectMqtt, type MqttRefusal, ScratchMosquitto, waitUntil } from './mosquitto-broker.fixture.js';

type Tenant = Awaited<ReturnType<typeof createTenant>>;

interface ProvisionedDevice {
  id: string;
  serial: string;
  username: string;
  password: string;
  mqtt: { host: string; port: number; topic: string };
}

const NOT_AUTHORIZED = 0x87;
/** The API's SIGHUP is handled on the broker's next loop turn: a login right after the answer may precede it. */
const RELOAD_MS = 5000;

/**
 * Device logins and per-VIN rights on a real Mosquitto: devices on the login-only listener, our subscriber on
 * the internal (anonymous) one, credentials provisioned and revoked through the API. The broker is this file's
 * own (the API's device file paths and pid file point at it), so the shared broker's device files, which
 * belong to the demo's database, are never rewritten from the test database.
 */
describe('Device credentials at the broker', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let config: AppConfig;
  let broker: ScratchMosquitto;
  let centerA: Tenant;
  let centerB: Tenant;
  let staffA: string;
  let staffB: string;
  let deviceUrl: string;
  let observer: MqttClient;
  const received: { topic: string; payload: string }[] = [];
  const clients: MqttClient[] = [];

  const http = () => request(app.getHttpServer());

  async function provision(token: string, vin: string, body: object = {}): Promise<ProvisionedDevice> {
    const response = await http().post(`/api/v1/vehicles/${vin}/devices`).set('Authorization', `Bearer ${token}`).send(body).expect(201);
    return response.body as ProvisionedDevice;
  }

  /** Logs the device in, retrying while the broker has not yet reloaded the files the API just wrote. */
  async function connectDevice(device: ProvisionedDevice): Promise<MqttClient> {
    let client: MqttClient | undefined;
    await waitUntil(
      async () => {
        client = await connectMqtt(deviceUrl, { username: device.username, password: device.password }).catch(() => undefined);
        return client !== undefined;
      },
      RELOAD_MS,
      `device ${device.serial} to be let in`,
    );
    clients.push(client!);
    return client!;
  }

  function loginOf(device: ProvisionedDevice, password = device.password): Promise<MqttClient> {
    return connectMqtt(deviceUrl, { username: device.username, password });
  }

  beforeAll(async () => {
    broker = await ScratchMosquitto.start({ internalListener: true });
    // Through the environment, as a deployment configures it; the loaded config of scripts/test.sh is dropped.
    ({ app, prisma } = await startApi(() => (config = loadApiConfig({ ...process.env, ...broker.deviceAuthEnv() }))));
    deviceUrl = `mqtt://${config.brokerAuth.deviceEndpoint.host}:${config.brokerAuth.deviceEndpoint.port}`;
    centerA = await createTenant(prisma, 'devices-a');
    centerB = await createTenant(prisma, 'devices-b');
    staffA = await tokenFor(app, centerA.staff.email);
    staffB = await tokenFor(app, centerB.staff.email);
    observer = await connectMqtt(broker.internalUrl);
    observer.on('message', (topic, payload) => received.push({ topic, payload: payload.toString() }));
    await observer.subscribeAsync([`vehicles/${centerA.vehicle.vin}/telemetry`, `vehicles/${centerB.vehicle.vin}/telemetry`], { qos: 1 });
  });

  afterAll(async () => {
    await Promise.all([...clients, observer].filter((client) => client !== undefined).map((client) => client.endAsync(true)));
    await app?.close();
    await broker?.stop();
  });

  it('provisions a device: its username and password (shown once), where to connect and what to publish', async () => {
    const device = await provision(staffA, centerA.vehicle.vin, { serial: `obd-${centerA.vehicle.vin}` });

    expect(device).toMatchObject({
      serial: `obd-${centerA.vehicle.vin}`,
      username: `obd-${centerA.vehicle.vin}`,
      status: 'ACTIVE',
      mqtt: {
        host: config.brokerAuth.deviceEndpoint.host,
        port: config.brokerAuth.deviceEndpoint.port,
        topic: `vehicles/${centerA.vehicle.vin}/telemetry`,
      },
    });
    expect(device.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const row = await prisma.device.findUniqueOrThrow({ where: { id: device.id } });
    expect(row.credentialHash).toMatch(/^\$7\$/);
    expect(row.credentialHash).not.toContain(device.password);
    expect(verifyMosquittoPassword(device.password, row.credentialHash)).toBe(true);
    expect(await readFile(broker.deviceAuthEnv().MQTT_DEVICE_PASSWORD_FILE!, 'utf8')).toContain(`${device.serial}:${row.credentialHash}\n`);

    const listed = await http().get(`/api/v1/vehicles/${centerA.vehicle.vin}/devices`).set('Authorization', `Bearer ${staffA}`).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ id: device.id, serial: device.serial, status: 'ACTIVE' })]);
    expect(JSON.stringify(listed.body)).not.toMatch(/password|credentialHash|\$7\$/);
  });

  it("lets a device publish its own VIN's telemetry, delivered to our services on the internal listener", async () => {
    const device = await provision(staffA, centerA.vehicle.vin);
    const client = await connectDevice(device);

    await client.publishAsync(device.mqtt.topic, JSON.stringify({ seq: 1, ts: Date.now() }), { qos: 1 });

    await waitUntil(() => received.some((message) => message.topic === device.mqtt.topic), 5000, 'the telemetry at the subscriber');
  });

  it("refuses a device's publish to another VIN's topic: PUBACK 0x87 Not authorized, nothing delivered", async () => {
    const device = await provision(staffA, centerA.vehicle.vin);
    const client = await connectDevice(device);
    const foreignTopic = `vehicles/${centerB.vehicle.vin}/telemetry`;

    await expect(client.publishAsync(foreignTopic, 'spoofed', { qos: 1 })).rejects.toMatchObject({
      code: NOT_AUTHORIZED,
    } satisfies MqttRefusal);
    // A message from the same device on its own topic is a barrier: the broker forwards in order, so once it
    // has arrived a delivered spoof would have arrived too.
    await client.publishAsync(device.mqtt.topic, 'barrier', { qos: 1 });
    await waitUntil(() => received.some((message) => message.payload === 'barrier'), 5000, 'the barrier message');

    expect(received.filter((message) => message.topic === foreignTopic)).toEqual([]);
    expect(client.connected).toBe(true);
  });

  it('lets a device read nothing, not even its own topic: its SUBACK refuses every filter', async () => {
    const device = await provision(staffA, centerA.vehicle.vin);
    const client = await connectDevice(device);
    const seen: string[] = [];
    client.on('message', (topic) => seen.push(topic));
    // The device listener's plugin refuses every SUBSCRIBE (Mosquitto 2.0's acl_file cannot): mqtt.js rejects.
    await expect(client.subscribeAsync([device.mqtt.topic, 'vehicles/#', '#'], { qos: 1 })).rejects.toMatchObject({
      packet: { granted: [NOT_AUTHORIZED, NOT_AUTHORIZED, NOT_AUTHORIZED] },
    });

    const ours = await connectMqtt(broker.internalUrl);
    clients.push(ours);
    await ours.publishAsync(device.mqtt.topic, 'from our side', { qos: 1 });
    await waitUntil(() => received.some((message) => message.payload === 'from our side'), 5000, 'our own message');
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(seen).toEqual([]);
    expect(client.connected).toBe(true);
  });

  it('refuses a wrong password and an anonymous login with CONNACK 0x87 Not authorized', async () => {
    const device = await provision(staffA, centerA.vehicle.vin);
    await connectDevice(device); // the files are reloaded: a refusal below is the password's, not a stale file's

    await expect(loginOf(device, `${device.password}x`)).rejects.toMatchObject({ code: NOT_AUTHORIZED } satisfies MqttRefusal);
    await expect(connectMqtt(deviceUrl)).rejects.toMatchObject({ code: NOT_AUTHORIZED } satisfies MqttRefusal);
  });

  it('does not let a device take over another client id (its username is its client id)', async () => {
    const device = await provision(staffA, centerA.vehicle.vin);
    const ours = await connectMqtt(broker.internalUrl, { clientId: `victim-${device.serial}` });
    clients.push(ours);

    await (await connectDevice(device)).endAsync(); // the files are reloaded
    clients.push(await connectMqtt(deviceUrl, { username: device.username, password: device.password, clientId: `victim-${device.serial}` }));
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(ours.connected).toBe(true);
  });

  it('revokes a device: the connected one is dropped and it can no longer log in', async () => {
    const device = await provision(staffA, centerA.vehicle.vin);
    const client = await connectDevice(device);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));

    const response = await http().post(`/api/v1/devices/${device.id}/revoke`).set('Authorization', `Bearer ${staffA}`).expect(200);

    expect(response.body).toMatchObject({ id: device.id, status: 'REVOKED' });
    await closed;
    await expect(loginOf(device)).rejects.toMatchObject({ code: NOT_AUTHORIZED } satisfies MqttRefusal);
    expect((await prisma.device.findUniqueOrThrow({ where: { id: device.id } })).status).toBe('REVOKED');
  });

  it('keeps other centers out: 404 for a vehicle or device they do not serve, 403 for owners', async () => {
    const device = await provision(staffA, centerA.vehicle.vin);

    await http().post(`/api/v1/vehicles/${centerA.vehicle.vin}/devices`).set('Authorization', `Bearer ${staffB}`).send({}).expect(404);
    await http().get(`/api/v1/vehicles/${centerA.vehicle.vin}/devices`).set('Authorization', `Bearer ${staffB}`).expect(404);
    await http().post(`/api/v1/devices/${device.id}/revoke`).set('Authorization', `Bearer ${staffB}`).expect(404);
    const owner = await tokenFor(app, centerA.owner.email);
    await http().post(`/api/v1/vehicles/${centerA.vehicle.vin}/devices`).set('Authorization', `Bearer ${owner}`).send({}).expect(403);

    expect(await prisma.device.count({ where: { vehicleId: centerA.vehicle.id } })).toBeGreaterThan(0);
    expect((await prisma.device.findUniqueOrThrow({ where: { id: device.id } })).status).toBe('ACTIVE');
  });

  it("answers 409 for a serial already in use and 400 for one that is not a safe username or is one of the platform's client ids", async () => {
    const device = await provision(staffA, centerA.vehicle.vin);

    await http()
      .post(`/api/v1/vehicles/${centerB.vehicle.vin}/devices`)
      .set('Authorization', `Bearer ${staffB}`)
      .send({ serial: device.serial })
      .expect(409);
    await http().post(`/api/v1/vehicles/${centerA.vehicle.vin}/devices`).set('Authorization', `Bearer ${staffA}`).send({ serial: 'a:b' }).expect(400);
    const reserved = await http()
      .post(`/api/v1/vehicles/${centerA.vehicle.vin}/devices`)
      .set('Authorization', `Bearer ${staffA}`)
      .send({ serial: 'ingest-1-0' })
      .expect(400);
    expect(reserved.body).toMatchObject({ issues: [{ path: 'serial', message: expect.stringMatching(/^serial must not start with ingest-/) }] });
  });
});
