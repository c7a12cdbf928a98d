import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '#app/database';
import {
  READ_BEFORE_HORIZON_MS,
  summaryHorizonMs,
  TIRE_READING_HORIZON_DAYS,
  tireReadingHorizonMs,
  type DecisionContext,
  type TelemetryPoint,
  type TireReadingPoint,
  type VehicleHistory,
  type VehicleProfile,
  type WheelPosition,
} from '#app/maintenance';

/**
 * How much history a score reads: bounded windows, so a car's tenth year costs what its first did. The
 * telemetry window is the models' summary horizon (SUMMARY_HORIZON_DAYS, day-aligned) plus a day, so the
 * full path sees where a segment that crosses the horizon started.
 */
export const HISTORY_WINDOWS = {
  /** Telemetry is read as 30-second aggregates: enough for warm-up curves, cranking dips and trends. */
  telemetryBucketSeconds: 30,
  /** Device tyre readings: the tyre model's horizon (whole UTC days), read as hourly medians. */
  deviceTireDays: TIRE_READING_HORIZON_DAYS,
  inspectionDays: 3 * 365,
} as const;

const DAY_MS = 86_400_000;

interface BucketRow {
  ts: Date;
  odometer: number | null;
  speed: number | null;
  rpm: number | null;
  coolant: number | null;
  fuel: number | null;
  fuel_est: boolean | null;
  battery: number | null;
  load: number | null;
  intake: number | null;
  ambient: number | null;
  dtcs: string | null;
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

@Injectable()
export class VehicleHistoryLoader {
  constructor(private readonly prisma: PrismaService) {}

  /** The whole window: what the full path (a first score, a rebuild) reads. */
  async load(vehicleId: string, profile: VehicleProfile, now: Date): Promise<VehicleHistory> {
    const [samples, context] = await Promise.all([this.samplesAfter(vehicleId, null, now), this.context(vehicleId, profile, now)]);
    return { ...context, samples };
  }

  /**
   * Everything a decision needs besides the telemetry: small, read whole on every score, except the device
   * tyre readings, read from `tireReadingsFrom` (the watermark of the days the tyre summary folded; null:
   * the whole window).
   */
  async context(vehicleId: string, profile: VehicleProfile, now: Date, tireReadingsFrom: Date | null = null): Promise<DecisionContext> {
    const [tireReadings, serviceEvents, odometerCorrections] = await Promise.all([
      this.tires(vehicleId, now, tireReadingsFrom),
      this.prisma.serviceRecord.findMany({
        where: { vehicleId, performedAt: { lte: now } },
        orderBy: { performedAt: 'asc' },
        select: { kind: true, performedAt: true, odometerKm: true, positions: true },
      }),
      // All of them, not a window: a confirmed change stays the baseline for the life of the car.
      this.prisma.odometerCorrection.findMany({
        where: { vehicleId, effectiveAt: { lte: now } },
        orderBy: { effectiveAt: 'asc' },
        select: { effectiveAt: true, odometerKm: true, confirmedById: true, confirmedAt: true },
      }),
    ]);
    return {
      profile,
      tireReadings,
      serviceEvents: serviceEvents.map((event) => ({
        kind: event.kind,
        performedAt: event.performedAt,
        odometerKm: orUndefined(event.odometerKm),
        positions: event.positions,
      })),
      odometerCorrections: odometerCorrections.map((c) => ({
        effectiveAt: c.effectiveAt,
        odometerKm: c.odometerKm,
        confirmedBy: c.confirmedById,
        confirmedAt: c.confirmedAt,
      })),
    };
  }

  /**
   * The 30-second buckets after `after` (the end of the last closed segment the summaries folded: its
   * bucket is complete, so reading resumes at the next one), or the whole window when `after` is null.
   */
  async samplesAfter(vehicleId: string, after: Date | null, now: Date): Promise<TelemetryPoint[]> {
    const windowStart = summaryHorizonMs(now) - READ_BEFORE_HORIZON_MS;
    const resume = after === null ? windowStart : after.getTime() + HISTORY_WINDOWS.telemetryBucketSeconds * 1000;
    const from = new Date(Math.max(windowStart, resume));
    // min(battery): a cranking dip lasts a second or two and must survive the aggregation.
    const rows = await this.prisma.$queryRaw<BucketRow[]>`
      SELECT date_bin(${`${HISTORY_WINDOWS.telemetryBucketSeconds} seconds`}::interval, ts, TIMESTAMPTZ 'epoch') AS ts,
             max("odometerKm") AS odometer, avg("speedKph") AS speed, avg(rpm) AS rpm,
             avg("coolantTempC") AS coolant, avg("fuelRateLph") AS fuel, bool_or("fuelRateEstimated") AS fuel_est,
             min("batteryV") AS battery, avg("engineLoadPct") AS load, avg("intakeTempC") AS intake,
             avg("ambientTempC") AS ambient,
             nullif(string_agg(nullif(array_to_string(dtcs, ','), ''), ','), '') AS dtcs
      FROM telemetry_samples
      WHERE "vehicleId" = ${vehicleId}::uuid AND ts >= ${from} AND ts <= ${now}
      GROUP BY 1 ORDER BY 1`;
    return rows.map((row) => ({
      ts: row.ts,
      odometerKm: orUndefined(row.odometer),
      speedKph: orUndefined(row.speed),
      rpm: orUndefined(row.rpm),
      coolantTempC: orUndefined(row.coolant),
      fuelRateLph: orUndefined(row.fuel),
      fuelRateEstimated: row.fuel_est ?? undefined,
      batteryV: orUndefined(row.battery),
      engineLoadPct: orUndefined(row.load),
      intakeTempC: orUndefined(row.intake),
      ambientTempC: orUndefined(row.ambient),
      dtcs: row.dtcs ? [...new Set(row.dtcs.split(','))] : undefined,
    }));
  }

  private async tires(vehicleId: string, now: Date, from: Date | null): Promise<TireReadingPoint[]> {
    // The horizon and the watermark are both the start of a UTC day, so the hourly buckets read are whole.
    const deviceFrom = new Date(Math.max(tireReadingHorizonMs(now), from?.getTime() ?? -Infinity));
    const inspectionFrom = new Date(now.getTime() - HISTORY_WINDOWS.inspectionDays * DAY_MS);
    // Device readings come with every sample: hourly medians per wheel keep the window small.
    const rows = await this.prisma.$queryRaw<
      { position: WheelPosition; ts: Date; odometer: number | null; tread: number | null; pressure: number | null; source: 'DEVICE' | 'INSPECTION' }[]
    >(Prisma.sql`
      SELECT position, date_trunc('hour', ts) AS ts, max("odometerKm") AS odometer,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY "treadMm") AS tread,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY "pressureKpa") AS pressure, 'DEVICE' AS source
      FROM tire_readings
      WHERE "vehicleId" = ${vehicleId}::uuid AND source = 'DEVICE' AND ts >= ${deviceFrom} AND ts <= ${now}
      GROUP BY position, date_trunc('hour', ts)
      UNION ALL
      SELECT position, ts, "odometerKm", "treadMm", "pressureKpa", 'INSPECTION'
      FROM tire_readings
      WHERE "vehicleId" = ${vehicleId}::uuid AND source = 'INSPECTION' AND ts >= ${inspectionFrom} AND ts <= ${now}
      ORDER BY ts`);
    return rows.map((row) => ({
      position: row.position,
      ts: row.ts,
      odometerKm: orUndefined(row.odometer),
      treadMm: orUndefined(row.tread),
      pressureKpa: orUndefined(row.pressure),
      source: row.source,
    }));
  }
}
