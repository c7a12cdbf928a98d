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

/** Devices logging in at once: each CONNECT costs its node a bcrypt check and a session record stored on 3 nodes. */
const CONNECT_WAVE = 25;
/** How long one device keeps trying to log in (a device retries; its first attempt may meet a node still busy). */
const CONNECT_DEADLINE_MS = 60_000;

export interface ConnectedDevices {
  devices: MqttClient[];
  /** Login attempts that failed and were tried again. */
  retried: number;
}

/**
 * Car i logged in on node i mod 3, the others in turn after a lost connection (as the demo fleet connects), 25 at a
 * time. 200 logins at once on a loaded machine kept each node's read loop busy over 2 s per CONNECT (bcrypt, then the
 * session record replicated to 3 nodes) and some were closed half-way ("Problem registering with account: connection
 * closed"); a device whose login fails tries again after 500 ms, for up to 60 s. If one never gets in, the others are
 * ended before the error is thrown (a client left reconnecting outlives the test file).
 */
export async function connectDevices(cluster: NpmCluster, logins: readonly DeviceLogin[]): Promise<ConnectedDevices> {
  const devices: MqttClient[] = [];
  let retried = 0;
  const connect = async (login: DeviceLogin, index: number): Promise<MqttClient> => {
    const servers = [0, 1, 2].map((offset) => ({ host: '127.0.0.1', port: cluster.mqttPort((index + offset) % 3) }));
    const deadline = Date.now() + CONNECT_DEADLINE_MS;
    for (;;) {
      try {
        return await mqtt.connectAsync(
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
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`device ${login.serial} could not log in within 60 s`, { cause: error });
        retried += 1;
        await sleep(500);
      }
    }
  };
  for (let first = 0; first < logins.length; first += CONNECT_WAVE) {
    const wave = await Promise.allSettled(logins.slice(first, first + CONNECT_WAVE).map((login, offset) => connect(login, first + offset)));
    for (const outcome of wave) if (outcome.status === 'fulfilled') devices.push(outcome.value);
    const failed = wave.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed !== undefined) {
      await Promise.all(devices.map((device) => device.endAsync(true)));
      throw failed.reason;
    }
  }
  return { devices, retried };
}

export interface Burst {
  /** Per vehicle, the seqs whose PUBACK the car received. */
  acknowledged: Map<string, Set<number>>;
  acks: () => number;
  /** Publishes mqtt.js failed unsent at a lost connection, which the car sent again. */
  resent: () => number;
  /** Whether every publish of every car has been acknowledged. */
  finished: () => boolean;
  /**
   * When the cars were publishing again after `since` (epoch ms): every publish sent before it acknowledged and each
   * car with a publish sent after it acknowledged (or nothing left to send); undefined while some car is not there yet.
   */
  resumedAfter: (since: number) => number | undefined;
  /** Settles once every publish was acknowledged. */
  done: Promise<unknown>;
}

/** How the cars send: at most `window` publishes awaiting their PUBACK per car (a device's in-flight window). */
export interface BurstPacing {
  window: number;
  /**
   * Each car sends one sample this often, the cars' first samples spread over one interval, so the burst lasts about
   * `perCar` intervals and faults can be placed inside it; a car behind its schedule (after a lost connection) sends
   * what it owes at once, as a device empties its buffer. 0: every car as fast as its window allows.
   */
  intervalMs: number;
}

/** One car's sends: when each seq went out and when its PUBACK came (0: not yet), index seq - 1. */
interface CarLog {
  sentAt: number[];
  ackedAt: number[];
}

/** QoS 1 telemetry, `perCar` samples from each car, paced and windowed as `pacing` says. */
export function startBurst(
  devices: readonly MqttClient[],
  logins: readonly DeviceLogin[],
  perCar: number,
  pacing: BurstPacing = { window: 5, intervalMs: 0 },
): Burst {
  const acknowledged = new Map<string, Set<number>>(logins.map((login) => [login.vehicleId, new Set<number>()]));
  const logs: CarLog[] = logins.map(() => ({ sentAt: [], ackedAt: [] }));
  let acks = 0;
  let resent = 0;
  const startedAt = Date.now();
  const done = Promise.all(
    logins.map(async (login, index) => {
      const log = logs[index];
      const offset = (pacing.intervalMs * index) / logins.length;
      const inFlight: Promise<void>[] = [];
      for (let seq = 1; seq <= perCar; seq += 1) {
        const wait = startedAt + offset + (seq - 1) * pacing.intervalMs - Date.now();
        if (wait > 0) await sleep(wait);
        if (inFlight.length >= pacing.window) await inFlight.shift();
        log.sentAt.push(Date.now());
        log.ackedAt.push(0);
        const payload = JSON.stringify(sampleFor(seq));
        inFlight.push(
          (async () => {
            // mqtt.js (5.16) resends its stored publishes one at a time after a reconnect and queues new ones meanwhile;
            // a connection lost during that resend fails the queued ones with "Connection closed", never sent (its
            // issue #2015). A device keeps such a sample and sends it again; the seq makes a second copy harmless.
            for (;;) {
              try {
                await devices[index].publishAsync(`vehicles/${login.vin}/telemetry`, payload, { qos: 1 });
                break;
              } catch (error) {
                if (!(error instanceof Error) || error.message !== 'Connection closed') throw error;
                resent += 1;
                await sleep(250);
              }
            }
            log.ackedAt[seq - 1] = Date.now();
            acknowledged.get(login.vehicleId)?.add(seq);
            acks += 1;
          })(),
        );
      }
      await Promise.all(inFlight);
    }),
  );
  const total = logins.length * perCar;
  return {
    acknowledged,
    acks: () => acks,
    resent: () => resent,
    finished: () => acks === total,
    resumedAfter: (since) => resumedAfter(logs, perCar, since),
    done,
  };
}

function resumedAfter(logs: readonly CarLog[], perCar: number, since: number): number | undefined {
  let resumed = since;
  for (const { sentAt, ackedAt } of logs) {
    let earlier = since;
    let firstLater = Infinity;
    let sentLater = false;
    for (const [i, sent] of sentAt.entries()) {
      if (sent < since) {
        if (ackedAt[i] === 0) return undefined;
        earlier = Math.max(earlier, ackedAt[i]);
      } else {
        sentLater = true;
        if (ackedAt[i] !== 0) firstLater = Math.min(firstLater, ackedAt[i]);
      }
    }
    // A car that sent everything before `since` and had it acknowledged has nothing left to resume.
    if (firstLater === Infinity && (sentLater || sentAt.length < perCar)) return undefined;
    resumed = Math.max(resumed, earlier, firstLater === Infinity ? since : firstLater);
  }
  return resumed;
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
