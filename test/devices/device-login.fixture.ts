import type { INestApplication } from '@nestjs/common';
import type { MqttClient } from 'mqtt';
import request from 'supertest';
import { deviceStatusPayloads, deviceStatusTopic } from '#app/telemetry';
import { connectMqtt, waitUntil } from './mosquitto-broker.fixture.js';

/** POST /vehicles/{vin}/devices's answer: the device's login, shown once, and where it publishes. */
export interface ProvisionedDevice {
  serial: string;
  username: string;
  password: string;
  mqtt: { host: string; port: number; topic: string; statusTopic: string };
}

/** Provisions a device for the car through the API, as its center's staff (`staffToken`). */
export async function provisionDevice(app: INestApplication, staffToken: string, vin: string): Promise<ProvisionedDevice> {
  const response = await request(app.getHttpServer())
    .post(`/api/v1/vehicles/${vin}/devices`)
    .set({ Authorization: `Bearer ${staffToken}` })
    .send({})
    .expect(201);
  return response.body as ProvisionedDevice;
}

/**
 * Logs in as the device with the presence contract's last will, retrying while the broker reloads the files the
 * API wrote, then publishes its birth (retained). The caller ends the client.
 */
export async function connectDevice(device: ProvisionedDevice, vin: string, firmware = 'sim-1.2.0'): Promise<MqttClient> {
  let client: MqttClient | undefined;
  await waitUntil(
    async () => {
      client = await connectMqtt(`mqtt://${device.mqtt.host}:${String(device.mqtt.port)}`, {
        username: device.username,
        password: device.password,
        will: { topic: deviceStatusTopic(vin), payload: Buffer.from(deviceStatusPayloads.lastWill()), qos: 1, retain: true },
      }).catch(() => undefined);
      return client !== undefined;
    },
    5000,
    `device ${device.serial} to be let in`,
  );
  if (client === undefined) throw new Error('unreachable: waitUntil returned without a client');
  await client.publishAsync(device.mqtt.statusTopic, deviceStatusPayloads.birth(new Date(), firmware), { qos: 1, retain: true });
  return client;
}
