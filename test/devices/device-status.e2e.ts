import type { INestApplication } from '@nestjs/common';
import type { MqttClient } from 'mqtt';
import request from 'supertest';
import { type AppConfig, loadApiConfig } from '#app/config';
import type { PrismaClient } from '#app/database';
import { type InAppEvent, TransportInAppEventBus, centerAudience } from '#app/notifications';
import { liveEventsClient } from '#app/queue';
import { deviceStatusPayloads, deviceStatusTopic } from '#app/telemetry';
import { createTenant, startApi, tokenFor, uniqueVin } from '../api/api-test.fixtures.js';
import { connectDevice, type ProvisionedDevice, provisionDevice } from './device-login.fixture.js';
import { IngestionProcess } from '../support/ingestion-process.js';
import { frameData, openEventStream, type SseReader } from '../support/sse-reader.js';
import { type MqttRefusal, ScratchMosquitto, waitUntil } from './mosquitto-broker.fixture.js';

type Tenant = Awaited<ReturnType<typeof createTenant>>;

interface DeviceStatusView {
  vin: string;
  state: 'CONNECTED' | 'OFFLINE' | 'UNPLUGGED' | 'NEVER_CONNECTED';
  since: string | null;
  offlineForSeconds: number | null;
  firmware: string | null;
  allRefused: { count: number; reason: string; detail: string; lastAt: string } | null;
}

const NOT_AUTHORIZED = 0x87;
/** A status word crosses the broker, the listener and Postgres in milliseconds; this is the budget with room. */
const STATE_BUDGET_MS = 10_000;

/**
 * Device presence end to end on a Mosquitto of this file's own (retained messages must not outlive the test,
 * and the device files are the API's): devices log in on the device listener with the birth / last-will
 * contract, the real ingestion process (its Nest MQTT transport listener) stores what it hears, the API
 * answers per car inside the caller's center.
 */
describe('Device presence (vehicles/{vin}/status)', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let config: AppConfig;
  let broker: ScratchMosquitto;
  let ingestion: IngestionProcess;
  let center: Tenant;
  let otherCenter: Tenant;
  let staff: string;
  let otherStaff: string;
  let unplugged: { vin: string; device: ProvisionedDevice };
  let goodbye: { vin: string; device: ProvisionedDevice };
  let never: { vin: string };
  let refused: { vin: string };
  const clients: MqttClient[] = [];

  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function addCar(): Promise<string> {
    const vehicle = await prisma.vehicle.create({
      data: { vin: uniqueVin(), make: 'BYD', model: 'Qin', year: 2022, serviceCenterId: center.center.id, ownerId: center.owner.id },
    });
    return vehicle.vin;
  }

  const provision = (vin: string): Promise<ProvisionedDevice> => provisionDevice(app, staff, vin);

  async function connect(device: ProvisionedDevice, vin: string): Promise<MqttClient> {
    const client = await connectDevice(device, vin);
    clients.push(client);
    return client;
  }

  async function statusOf(vin: string, token = staff): Promise<DeviceStatusView> {
    const response = await http().get(`/api/v1/vehicles/${vin}/device-status`).set(as(token)).expect(200);
    return response.body as DeviceStatusView;
  }

  async function waitForState(vin: string, state: DeviceStatusView['state']): Promise<DeviceStatusView> {
    let last: DeviceStatusView | undefined;
    await waitUntil(
      async () => {
        last = await statusOf(vin);
        return last.state === state;
      },
      STATE_BUDGET_MS,
      `${vin} to be ${state} (last seen ${last?.state ?? 'nothing'})`,
    );
    if (last === undefined) throw new Error('unreachable');
    return last;
  }

  beforeAll(async () => {
    broker = await ScratchMosquitto.start({ internalListener: true });
    ({ app, prisma } = await startApi(() => (config = loadApiConfig({ ...process.env, ...broker.deviceAuthEnv() }))));
    // Listening, for the live events' streams (supertest uses the same server).
    await app.listen(0, '127.0.0.1');
    center = await createTenant(prisma, 'presence');
    otherCenter = await createTenant(prisma, 'presence-other');
    staff = await tokenFor(app, center.staff.email);
    otherStaff = await tokenFor(app, otherCenter.staff.email);
    unplugged = { vin: center.vehicle.vin, device: await provision(center.vehicle.vin) };
    const goodbyeVin = await addCar();
    goodbye = { vin: goodbyeVin, device: await provision(goodbyeVin) };
    never = { vin: await addCar() };
    refused = { vin: await addCar() };
    ingestion = new IngestionProcess({
      MQTT_URL: broker.internalUrl,
      INGEST_CLIENT_ID: `ingest-presence-${process.pid}`,
      INGEST_METRICS_PORT: '0',
      LOG_LEVEL: 'warn',
    });
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.endAsync(true).catch(() => undefined)));
    await ingestion?.stop('SIGTERM', 10_000);
    await app?.close();
    await broker?.stop();
  });

  it('tells provisioned devices where their status goes, and reads a birth retained before the listener started', async () => {
    expect(unplugged.device.mqtt.statusTopic).toBe(`vehicles/${unplugged.vin}/status`);
    expect(config.brokerAuth.deviceEndpoint.port).toBe(broker.devicePort);
    await connect(unplugged.device, unplugged.vin);
    expect(await statusOf(unplugged.vin)).toMatchObject({ state: 'NEVER_CONNECTED', since: null });

    await ingestion.start();

    const connected = await waitForState(unplugged.vin, 'CONNECTED');
    expect(connected).toMatchObject({ firmware: 'sim-1.2.0', offlineForSeconds: null });
    expect(Date.now() - Date.parse(connected.since ?? '')).toBeLessThan(60_000);
  });

  it('calls a device whose connection was cut without DISCONNECT unplugged (its last will), with since when', async () => {
    const client = clients[0];
    if (client === undefined) throw new Error('the first test connects this device');
    const cutAt = Date.now();
    // What pulling the dongle does: the socket is gone, no DISCONNECT was sent, the broker publishes the will.
    client.stream.destroy();

    const view = await waitForState(unplugged.vin, 'UNPLUGGED');
    expect(Date.parse(view.since ?? '')).toBeGreaterThanOrEqual(cutAt - 1000);
    expect(view.offlineForSeconds).toBeGreaterThanOrEqual(0);
    expect(view.offlineForSeconds).toBeLessThan(60);
    expect(view.firmware).toBe('sim-1.2.0');
  });

  it('calls a device that said goodbye before disconnecting offline, not unplugged', async () => {
    const client = await connect(goodbye.device, goodbye.vin);
    await waitForState(goodbye.vin, 'CONNECTED');

    await client.publishAsync(goodbye.device.mqtt.statusTopic, deviceStatusPayloads.cleanShutdown(), { qos: 1, retain: true });
    await client.endAsync();

    const view = await waitForState(goodbye.vin, 'OFFLINE');
    expect(view.offlineForSeconds).toBeLessThan(60);
  });

  it("refuses a device's status word for another car (the ACL names its own VIN only)", async () => {
    const client = await connect(goodbye.device, goodbye.vin);
    const refusal = await client
      .publishAsync(deviceStatusTopic(unplugged.vin), deviceStatusPayloads.birth(new Date()), { qos: 1, retain: true })
      .then(
        () => undefined,
        (error: unknown) => error as MqttRefusal,
      );
    expect(refusal?.code).toBe(NOT_AUTHORIZED);
    await waitForState(goodbye.vin, 'CONNECTED');
    expect((await statusOf(unplugged.vin)).state).toBe('UNPLUGGED');
  });

  it("lists the center's cars with never connected and all-refused ones; another center gets 404 and nothing", async () => {
    const refusedVehicle = await prisma.vehicle.findUniqueOrThrow({ where: { vin: refused.vin } });
    await prisma.rejectedMessage.create({
      data: {
        topic: `vehicles/${refused.vin}/telemetry`,
        vin: refused.vin,
        vehicleId: refusedVehicle.id,
        serviceCenterId: center.center.id,
        reason: 'CLOCK_TOO_OLD',
        detail: 'ts 1970-01-21T07:00:00.000Z is more than 365 days old',
        payloadBytes: 40,
        payloadExcerpt: '{"ts":1765000000,"seq":1}',
        messageHash: `presence-${refused.vin}`,
      },
    });
    const vins = [unplugged.vin, goodbye.vin, never.vin, refused.vin, otherCenter.vehicle.vin];

    const listed = await http()
      .get(`/api/v1/dashboard/device-status?vins=${vins.join(',')}`)
      .set(as(staff))
      .expect(200);
    const byVin = new Map((listed.body as { items: DeviceStatusView[] }).items.map((item) => [item.vin, item]));

    expect([...byVin.keys()].sort()).toEqual([unplugged.vin, goodbye.vin, never.vin, refused.vin].sort());
    expect(byVin.get(unplugged.vin)?.state).toBe('UNPLUGGED');
    expect(byVin.get(goodbye.vin)?.state).toBe('CONNECTED');
    expect(byVin.get(never.vin)).toMatchObject({ state: 'NEVER_CONNECTED', since: null, allRefused: null });
    expect(byVin.get(refused.vin)).toMatchObject({
      state: 'NEVER_CONNECTED',
      allRefused: { count: 1, reason: 'CLOCK_TOO_OLD', detail: 'ts 1970-01-21T07:00:00.000Z is more than 365 days old' },
    });

    await http().get(`/api/v1/vehicles/${unplugged.vin}/device-status`).set(as(otherStaff)).expect(404);
    const foreign = await http().get(`/api/v1/dashboard/device-status?vins=${unplugged.vin},${goodbye.vin}`).set(as(otherStaff)).expect(200);
    expect(foreign.body).toEqual({ items: [] });
    await http().get('/api/v1/dashboard/device-status?vins=not-a-vin').set(as(staff)).expect(400);
  });

  it("streams each presence change live to the car's center staff only: not to another center's staff, not to the owner", async () => {
    const [ours, theirs, owner] = await Promise.all([
      openEventStream(app, staff),
      openEventStream(app, otherStaff),
      openEventStream(app, await tokenFor(app, center.owner.email)),
    ]);
    const probe = new TransportInAppEventBus(liveEventsClient(config), config.queuePrefix);
    try {
      await Promise.all([ours, theirs, owner].map((stream) => stream.next((frame) => frame.includes(': connected'))));

      // UNPLUGGED (the second test) -> CONNECTED.
      const client = await connect(unplugged.device, unplugged.vin);
      const online = await deviceEvent(ours, unplugged.vin, 'CONNECTED');
      expect(online).toMatchObject({ type: 'device', data: { event: 'presence', previous: 'UNPLUGGED', firmware: 'sim-1.2.0' } });

      const cutAt = Date.now();
      client.stream.destroy();
      const gone = await deviceEvent(ours, unplugged.vin, 'UNPLUGGED');
      expect(gone.data).toMatchObject({ previous: 'CONNECTED' });
      expect(Date.parse(String(gone.data.since))).toBeGreaterThanOrEqual(cutAt - 1000);
      console.log(`device event: socket destroyed -> staff stream in ${String(Date.now() - cutAt)} ms`);

      // A barrier: an event for the other center, emitted after ours arrived, reaches its stream; any device event
      // for it would have come on the same transport before.
      const marker: InAppEvent = { type: 'appointment', title: 'barrier', text: '', data: {}, at: new Date().toISOString() };
      await probe.publish(centerAudience(otherCenter.center.id), marker);
      await theirs.next((frame) => frame.startsWith('event: appointment'), STATE_BUDGET_MS);
      expect(theirs.frames.filter((frame) => frame.startsWith('event: device'))).toEqual([]);
      expect(owner.frames.filter((frame) => frame.startsWith('event: device'))).toEqual([]);
    } finally {
      for (const stream of [ours, theirs, owner]) stream.response.destroy();
      await probe.onApplicationShutdown();
    }
  });
});

/** The next `event: device` frame of `vin` in `state` on the stream, parsed. */
async function deviceEvent(stream: SseReader, vin: string, state: string): Promise<InAppEvent> {
  const frame = await stream.next((candidate) => {
    if (!candidate.startsWith('event: device')) return false;
    const event = frameData(candidate) as InAppEvent;
    return event.data.vin === vin && event.data.state === state;
  }, STATE_BUDGET_MS);
  return frameData(frame) as InAppEvent;
}
