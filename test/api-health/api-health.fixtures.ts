import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#app/config';
import type { Component, Prisma, PrismaClient, Risk } from '#app/database';
import { createRedisConnection, JobName, type JobPayloads, QueueName } from '#app/queue';
import { createTenant, startApi } from '../api/api-test.fixtures.js';
import { SET_WORST_RISK_SQL } from '../support/fixtures.js';

export type Tenant = Awaited<ReturnType<typeof createTenant>>;

const DAY_MS = 24 * 3_600_000;

/** The API on a queue prefix of its own, and a handle on that queue to see the jobs it asks for. */
export async function startApiWithOwnQueue(label: string, adjustConfig: (config: AppConfig) => AppConfig = (config) => config) {
  const prefix = `test-${label}-${randomUUID().slice(0, 8)}`;
  const { app, prisma } = await startApi((config) => adjustConfig({ ...config, queuePrefix: prefix }));
  const connection = createRedisConnection(app.get<AppConfig>(APP_CONFIG).redisUrl);
  const queue = new Queue<JobPayloads[JobName.VehicleScore]>(QueueName.Scoring, { connection, prefix });
  return { app, prisma, scoringJobs: new ScoringJobs(queue, connection) };
}

export class ScoringJobs {
  constructor(
    private readonly queue: Queue<JobPayloads[JobName.VehicleScore]>,
    private readonly connection: Redis,
  ) {}

  /** Jobs waiting for this vehicle (no worker runs on the test's prefix, so they stay there). */
  async forVehicle(vehicleId: string): Promise<{ name: string; vehicleId: string; reason: string }[]> {
    const jobs = await this.queue.getJobs(['waiting', 'delayed', 'prioritized', 'active']);
    return jobs
      .filter((job) => job.data.vehicleId === vehicleId)
      .map((job) => ({ name: job.name, vehicleId: job.data.vehicleId, reason: job.data.reason }));
  }

  async close(): Promise<void> {
    await this.queue.obliterate({ force: true }).catch(() => undefined);
    await this.queue.close();
    await this.connection.quit();
  }
}

/** A prediction row as the worker's PredictionStore writes it. */
export function predictionData(
  vehicleId: string,
  component: Component,
  overrides: Partial<Omit<Prisma.PredictionCreateManyInput, 'vehicleId' | 'component'>> = {},
): Prisma.PredictionCreateManyInput {
  const risk: Risk = overrides.risk ?? 'OK';
  return {
    vehicleId,
    component,
    health: 90,
    risk,
    dueAt: new Date(Date.now() + 120 * DAY_MS),
    dueOdometerKm: 50_000,
    confidence: { kind: 'interval', unit: 'days', level: 0.8, low: 100, high: 140 },
    evidence: { samples: 1200, windowDays: 30 },
    findings: [],
    explanation: `${component} looks fine`,
    modelVersion: `${component.toLowerCase()}@1.0.0`,
    scoredAt: new Date(),
    ...overrides,
  };
}

/** A history row, as the worker appends one when a prediction changes. */
export function snapshotData(
  vehicleId: string,
  component: Component,
  overrides: Partial<Omit<Prisma.PredictionSnapshotCreateManyInput, 'vehicleId' | 'component'>> = {},
): Prisma.PredictionSnapshotCreateManyInput {
  const { id: _id, dataThrough: _dataThrough, ...fields } = predictionData(vehicleId, component);
  return { ...fields, ...overrides };
}

/**
 * What the worker's save keeps on the vehicle with its predictions (SET_WORST_RISK_SQL), for tests that write
 * prediction rows themselves. test/worker/prediction-store.e2e.ts shows the save keeps them.
 */
export async function syncWorstRisk(prisma: PrismaClient, vehicleId: string): Promise<void> {
  await prisma.$executeRawUnsafe(`UPDATE vehicles v ${SET_WORST_RISK_SQL} WHERE v.id = $1::uuid`, vehicleId);
}

/** Marks the vehicle scored as the worker does in the same transaction as its predictions. */
export async function markScored(prisma: PrismaClient, vehicleId: string, scoredAt: Date): Promise<void> {
  const vehicle = await prisma.vehicle.findUniqueOrThrow({ where: { id: vehicleId } });
  await prisma.vehicle.update({ where: { id: vehicleId }, data: { scoredVersion: vehicle.telemetryVersion, lastScoredAt: scoredAt } });
}

export async function closeAll(app: INestApplication, scoringJobs: ScoringJobs): Promise<void> {
  await scoringJobs.close();
  await app.close();
}

export { createTenant, tokenFor, uniqueVin } from '../api/api-test.fixtures.js';
