import { loadavg } from 'node:os';
import mqtt, { type MqttClient } from 'mqtt';
import { generateDeviceSecret, hashMosquittoPassword, hashNatsPassword } from '#app/broker-auth';
import type { PrismaClient } from '#app/database';
import { createFleet, sampleFor } from '../support/fixtures.js';
import { waitFor } from '../support/telemetry-publisher.js';
import type { NpmCluster } from './npm-cluster.js';

export const load = (): string =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface DeviceLogin {
  serial: string;
  password: string;
  vin: string;
  vehicleId: string;
}

/** `cars` vehicles of a fleet of their own, each with a device holding both hashes; the broker nodes learn them (sync). */
export async function provisionDevices(prisma: PrismaClient, cluster: NpmCluster, cars: number, label: string): Promise<DeviceLogin[]> {
  const fleet = await createFleet(prisma, cars);
  const logins: DeviceLogin[] = [];
  for (const [index, vehicle] of fleet.vehicles.entries()) {
    const password = generateDeviceSecret();
    const serial = `${label}-${vehicle.vin}-${String(index)}`;
    await prisma.device.create({
      data: {
        vehicleId: vehicle.id,
        serial,
        credentialHash: hashMosquittoPassword(password),
        natsCredentialHash: await hashNatsPassword(password),
      },
    });
    logins.push({ serial, password, vin: vehicle.vin, vehicleId: vehicle.id });
  }
  await cluster.natsScript('sync');
  await sleep(1_000);
  return logins;
}

/** Car i logged in on node i mod 3, the others in turn after a lost connection (as the demo fleet connects). */
export function connectDevices(cluster: NpmCluster, logins: readonly DeviceLogin[]): Promise<MqttClient[]> {
  return Promise.all(
    logins.map(async (login, index) => {
      const servers = [0, 1, 2].map((offset) => ({ host: '127.0.0.1', port: cluster.mqttPort((index + offset) % 3) }));
      return mqtt.connectAsync(
        `mqtt://127.0.0.1:${String(servers[0].port)}`,
        {
          servers,
          clientId: login.serial,
          username: login.serial,
          password: login.password,
          protocolVersion: 4,
          clean: true,
          reconnectPeriod: 250,
          connectTimeout: 10_000,
        },
        false,
      );
    }),
  );
}

export interface Burst {
  /** Per vehicle, the seqs whose PUBACK the car received. */
  acknowledged: Map<string, Set<number>>;
  acks: () => number;
  /** Settles once every publish was acknowledged. */
  done: Promise<unknown>;
}

/** QoS 1 telemetry, `perCar` samples from each car, a few in flight per car (a device's window). */
export function startBurst(devices: readonly MqttClient[], logins: readonly DeviceLogin[], perCar: number): Burst {
  const acknowledged = new Map<string, Set<number>>(logins.map((login) => [login.vehicleId, new Set<number>()]));
  let acks = 0;
  const done = Promise.all(
    logins.map(async (login, index) => {
      for (let seq = 1; seq <= perCar; seq += 1) {
        const sent = devices[index].publishAsync(`vehicles/${login.vin}/telemetry`, JSON.stringify(sampleFor(seq)), { qos: 1 }).then(() => {
          acknowledged.get(login.vehicleId)?.add(seq);
          acks += 1;
        });
        if (seq % 5 === 0) await sent;
      }
    }),
  );
  return { acknowledged, acks: () => acks, done };
}

export interface Tally {
  total: number;
  rows: number;
  lost: number;
  duplicated: number;
  /** ms from `since` until every acknowledged sample had a row (the last poll that saw them all). */
  storedMs: number;
}

/**
 * Waits until every acknowledged sample has a row (or `timeoutMs`), looks again a moment later (a redelivery comes
 * after the first copy), and counts acknowledged samples without a row (lost) and rows stored twice (duplicated).
 */
export async function tally(prisma: PrismaClient, logins: readonly DeviceLogin[], burst: Burst, since: number, timeoutMs: number): Promise<Tally> {
  const count = async () =>
    prisma.$queryRaw<{ vehicleId: string; seq: bigint }[]>`
      SELECT "vehicleId", seq FROM telemetry_samples WHERE "vehicleId" = ANY(${logins.map((login) => login.vehicleId)}::uuid[])`;
  const total = [...burst.acknowledged.values()].reduce((sum, seqs) => sum + seqs.size, 0);
  await waitFor(count, (stored) => stored.length >= total, timeoutMs, 500);
  const storedMs = Date.now() - since;
  await sleep(3_000);
  const rows = await count();
  const stored = new Set(rows.map((row) => `${row.vehicleId}:${String(row.seq)}`));
  let lost = 0;
  for (const [vehicleId, seqs] of burst.acknowledged) for (const seq of seqs) if (!stored.has(`${vehicleId}:${String(seq)}`)) lost += 1;
  return { total, rows: rows.length, lost, duplicated: rows.length - stored.size, storedMs };
}
