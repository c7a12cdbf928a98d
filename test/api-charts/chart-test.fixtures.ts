import type { Prisma, PrismaClient } from '#app/database';
import type { createTenant } from '../api/api-test.fixtures.js';
import { syncWorstRisk } from '../api-health/api-health.fixtures.js';

export type Tenant = Awaited<ReturnType<typeof createTenant>>;

const DAY_MS = 86_400_000;
const SAMPLE_EVERY_MS = 10_000;

export const dayOf = (date: Date): string => date.toISOString().slice(0, 10);

/** Noon (UTC) `daysAgo` days before `now`, so a 40-minute drive stays inside one UTC day. */
export function noonDaysAgo(now: Date, daysAgo: number): Date {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - daysAgo * DAY_MS);
  return new Date(day.getTime() + 12 * 3_600_000);
}

let seq = 0;

/**
 * A drive of `minutes` at 50 km/h sampled every 10 s: the coolant warms from 40 C by 7 C a minute up to
 * `warmC`, and is replaced by `overheatC` during the minutes listed in `overheatMinutes`.
 */
export async function seedDrive(
  prisma: PrismaClient,
  vehicleId: string,
  start: Date,
  options: { minutes: number; warmC: number; overheatMinutes?: number[]; overheatC?: number },
): Promise<void> {
  const samples: Prisma.TelemetrySampleCreateManyInput[] = [];
  for (let t = 0; t < options.minutes * 60_000; t += SAMPLE_EVERY_MS) {
    const minute = Math.floor(t / 60_000);
    const warming = Math.min(options.warmC, 40 + (t / 60_000) * 7);
    const coolant = options.overheatMinutes?.includes(minute) ? (options.overheatC ?? 112) : warming;
    samples.push({
      vehicleId,
      seq: BigInt(++seq + Date.now() * 1000),
      ts: new Date(start.getTime() + t),
      speedKph: 50,
      rpm: 2000,
      coolantTempC: coolant,
      batteryV: 14.1,
      odometerKm: 42_000 + t / 72_000,
    });
  }
  await prisma.telemetrySample.createMany({ data: samples });
}

export async function seedPrediction(
  prisma: PrismaClient,
  vehicleId: string,
  component: 'ENGINE_COOLING' | 'TIRES' | 'FUEL_ECONOMY' | 'BATTERY',
  fields: {
    risk?: 'OK' | 'WATCH' | 'SOON';
    health?: number;
    scoredAt: Date;
    evidence: Prisma.InputJsonObject;
    confidence?: Prisma.InputJsonObject;
    findings?: Prisma.InputJsonArray;
  },
): Promise<void> {
  const data = {
    health: fields.health ?? 90,
    risk: fields.risk ?? 'OK',
    confidence: fields.confidence ?? { kind: 'probability', value: 0.9 },
    evidence: fields.evidence,
    findings: fields.findings ?? [],
    explanation: 'test',
    modelVersion: 'test-1',
    scoredAt: fields.scoredAt,
  } as const;
  await prisma.prediction.upsert({
    where: { vehicleId_component: { vehicleId, component } },
    create: { vehicleId, component, ...data },
    update: data,
  });
  await prisma.predictionSnapshot.create({ data: { vehicleId, component, ...data } });
  // The worst risk the worker's save keeps on the vehicle, which the dashboard's attention list ranks by.
  await syncWorstRisk(prisma, vehicleId);
}
