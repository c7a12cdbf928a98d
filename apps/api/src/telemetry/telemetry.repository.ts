import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '#app/database';
import type { VehicleInScope } from '../common/vehicle-scope.model.js';
import type { RejectedMessageView, TelemetryBucketView, TelemetrySampleView } from './telemetry.model.js';
import { BUCKETS, type Bucket } from './telemetry.schema.js';

export interface TimeWindow {
  from: Date;
  to: Date;
  limit: number;
}

interface BucketRow {
  bucket: Date;
  count: number;
  speed_avg: number | null;
  speed_min: number | null;
  speed_max: number | null;
  coolant_avg: number | null;
  coolant_min: number | null;
  coolant_max: number | null;
  fuel_avg: number | null;
  fuel_min: number | null;
  fuel_max: number | null;
  battery_avg: number | null;
  battery_min: number | null;
  battery_max: number | null;
  rpm_avg: number | null;
  rpm_min: number | null;
  rpm_max: number | null;
  odometer_max: number | null;
}

// Buckets start at whole minutes/hours/days in UTC, whatever the window's start.
const BUCKET_ORIGIN = new Date('2000-01-01T00:00:00.000Z');

/** Reads of one vehicle's telemetry. Takes a VehicleInScope, so the tenant check happened before. */
@Injectable()
export class TelemetryRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The newest `limit + 1` samples of the window, oldest first (the extra one tells truncation). */
  async samples(vehicle: VehicleInScope, window: TimeWindow): Promise<TelemetrySampleView[]> {
    const rows = await this.prisma.telemetrySample.findMany({
      where: { vehicleId: vehicle.id, ts: { gte: window.from, lt: window.to } },
      orderBy: { ts: 'desc' },
      take: window.limit + 1,
    });
    return rows.reverse().map((row) => ({
      ts: row.ts.toISOString(),
      seq: Number(row.seq),
      receivedAt: row.receivedAt.toISOString(),
      odometerKm: row.odometerKm,
      speedKph: row.speedKph,
      rpm: row.rpm,
      coolantTempC: row.coolantTempC,
      fuelRateLph: row.fuelRateLph,
      fuelRateEstimated: row.fuelRateEstimated,
      batteryV: row.batteryV,
      engineLoadPct: row.engineLoadPct,
      intakeTempC: row.intakeTempC,
      mafGps: row.mafGps,
      manifoldPressureKpa: row.manifoldPressureKpa,
      throttlePct: row.throttlePct,
      ambientTempC: row.ambientTempC,
      dtcs: row.dtcs,
    }));
  }

  /** Downsampled in Postgres (date_bin), so a month of 1 Hz data never crosses the wire. Oldest first. */
  async buckets(vehicle: VehicleInScope, window: TimeWindow, bucket: Bucket): Promise<TelemetryBucketView[]> {
    const rows = await this.prisma.$queryRaw<BucketRow[]>(Prisma.sql`
      SELECT date_bin(${BUCKETS[bucket]}::interval, ts, ${BUCKET_ORIGIN}::timestamptz) AS bucket,
             count(*)::int AS count,
             avg("speedKph") AS speed_avg, min("speedKph") AS speed_min, max("speedKph") AS speed_max,
             avg("coolantTempC") AS coolant_avg, min("coolantTempC") AS coolant_min, max("coolantTempC") AS coolant_max,
             avg("fuelRateLph") AS fuel_avg, min("fuelRateLph") AS fuel_min, max("fuelRateLph") AS fuel_max,
             avg("batteryV") AS battery_avg, min("batteryV") AS battery_min, max("batteryV") AS battery_max,
             avg(rpm) AS rpm_avg, min(rpm) AS rpm_min, max(rpm) AS rpm_max,
             max("odometerKm") AS odometer_max
        FROM telemetry_samples
       WHERE "vehicleId" = ${vehicle.id}::uuid AND ts >= ${window.from} AND ts < ${window.to}
       GROUP BY 1
       ORDER BY 1 DESC
       LIMIT ${window.limit + 1}`);
    return rows.reverse().map((row) => ({
      bucketStart: new Date(row.bucket).toISOString(),
      count: Number(row.count),
      speedKph: aggregate(row.speed_avg, row.speed_min, row.speed_max),
      coolantTempC: aggregate(row.coolant_avg, row.coolant_min, row.coolant_max),
      fuelRateLph: aggregate(row.fuel_avg, row.fuel_min, row.fuel_max),
      batteryV: aggregate(row.battery_avg, row.battery_min, row.battery_max),
      rpm: aggregate(row.rpm_avg, row.rpm_min, row.rpm_max),
      odometerKmMax: nullableNumber(row.odometer_max),
    }));
  }

  /** Rejections recorded for this vehicle, or for its VIN before the vehicle was known. Newest first. */
  async rejected(vehicle: VehicleInScope, limit: number): Promise<RejectedMessageView[]> {
    const rows = await this.prisma.rejectedMessage.findMany({
      where: { OR: [{ vehicleId: vehicle.id }, { vin: vehicle.vin }] },
      orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map((row) => ({
      id: row.id.toString(),
      receivedAt: row.receivedAt.toISOString(),
      reason: row.reason,
      detail: row.detail,
      topic: row.topic,
      sampleIndex: row.sampleIndex,
      payloadBytes: row.payloadBytes,
      payloadExcerpt: row.payloadExcerpt,
    }));
  }
}

function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

function aggregate(avg: unknown, min: unknown, max: unknown): { avg: number | null; min: number | null; max: number | null } {
  return { avg: nullableNumber(avg), min: nullableNumber(min), max: nullableNumber(max) };
}
