import { Injectable } from '@nestjs/common';
import { type Component, Prisma, PrismaService, type Risk } from '#app/database';
import type { VehicleInScope } from '../common/vehicle-scope.model.js';
import type { CenterScope } from '../vehicles/vehicle.repository.js';

export interface ChartWindow {
  from: Date;
  to: Date;
}

export interface CoolantDayRow {
  day: string;
  warmC: number | null;
  episodes: number;
}

export interface TreadDayRow {
  position: 'FL' | 'FR' | 'RL' | 'RR';
  source: 'DEVICE' | 'INSPECTION';
  odometerKm: number;
  treadMm: number;
}

export interface PressureRow {
  position: 'FL' | 'FR' | 'RL' | 'RR';
  bucket: Date;
  pressureKpa: number;
}

export interface HealthDayRow {
  component: Component;
  day: string;
  health: number;
}

export interface StoredPrediction {
  component: Component;
  risk: Risk;
  scoredAt: Date;
  confidence: Prisma.JsonValue;
  evidence: Prisma.JsonValue;
  findings: Prisma.JsonValue;
}

export interface DailyEvidenceRow {
  component: Component;
  scoredAt: Date;
  evidence: Prisma.JsonValue;
}

/** What counts as a warm reading and an overheating episode in the coolant chart (see the service's method text). */
export interface CoolantRules {
  minMovingKph: number;
  /** Readings this long into a drive are past the warm-up. */
  warmAfterMinutes: number;
  /** A pause longer than this ends a drive. */
  driveGapMinutes: number;
  overheatC: number;
}

// Raw rows are typed as Postgres sends them: every aggregate is cast (::int) or is double precision
// (percentile_cont, avg of float8), so none arrives as a BigInt or a Decimal.

/**
 * The charts' reads. Vehicle reads take a VehicleInScope (the tenant check happened before); the fleet read
 * takes the center. Downsampling happens here, in Postgres, so a year of 1 Hz telemetry never leaves it.
 */
@Injectable()
export class ChartsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Per UTC day: the median of warm, moving 30-second averages, and the overheating episodes that started.
   * 30-second buckets first (the worker reads the same resolution), then drives are cut at pauses, so each
   * bucket knows how far into its drive it lies. An episode starts at a bucket at or above the threshold
   * whose previous bucket was below it or more than a minute earlier.
   */
  async coolantDays(vehicle: VehicleInScope, window: ChartWindow, rules: CoolantRules): Promise<CoolantDayRow[]> {
    const rows = await this.prisma.$queryRaw<{ day: string; warm_c: number | null; episodes: number }[]>(Prisma.sql`
      WITH buckets AS (
        SELECT date_bin('30 seconds'::interval, ts, TIMESTAMPTZ 'epoch') AS t,
               avg("coolantTempC") AS coolant, max("coolantTempC") AS coolant_max, avg("speedKph") AS speed
          FROM telemetry_samples
         WHERE "vehicleId" = ${vehicle.id}::uuid AND ts >= ${window.from} AND ts < ${window.to}
         GROUP BY 1
      ), ordered AS (
        SELECT *, lag(t) OVER (ORDER BY t) AS prev_t, lag(coolant_max) OVER (ORDER BY t) AS prev_max FROM buckets
      ), drives AS (
        SELECT *, sum(CASE WHEN prev_t IS NULL OR t - prev_t > make_interval(mins => ${rules.driveGapMinutes}) THEN 1 ELSE 0 END)
                    OVER (ORDER BY t) AS drive
          FROM ordered
      ), placed AS (
        SELECT *, t - min(t) OVER (PARTITION BY drive) AS into_drive FROM drives
      )
      SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY coolant)
               FILTER (WHERE coolant IS NOT NULL AND speed >= ${rules.minMovingKph}
                         AND into_drive >= make_interval(mins => ${rules.warmAfterMinutes})) AS warm_c,
             (count(*) FILTER (WHERE coolant_max >= ${rules.overheatC}
                         AND (prev_max IS NULL OR prev_max < ${rules.overheatC} OR t - prev_t > interval '1 minute')))::int AS episodes
        FROM placed
       GROUP BY 1
       ORDER BY 1`);
    return rows.map((row) => ({ day: row.day, warmC: row.warm_c, episodes: row.episodes }));
  }

  /** Tread per wheel: daily medians of device readings and every inspection, each with its odometer. */
  async treadReadings(vehicle: VehicleInScope, window: ChartWindow): Promise<TreadDayRow[]> {
    const rows = await this.prisma.$queryRaw<
      { position: TreadDayRow['position']; source: TreadDayRow['source']; odometer: number; tread: number }[]
    >(Prisma.sql`
      SELECT position::text AS position, 'DEVICE' AS source, max("odometerKm") AS odometer,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY "treadMm") AS tread
        FROM tire_readings
       WHERE "vehicleId" = ${vehicle.id}::uuid AND source = 'DEVICE' AND ts >= ${window.from} AND ts < ${window.to}
         AND "treadMm" IS NOT NULL AND "odometerKm" IS NOT NULL
       GROUP BY position, date_trunc('day', ts AT TIME ZONE 'UTC')
      UNION ALL
      SELECT position::text, 'INSPECTION', "odometerKm", "treadMm"
        FROM tire_readings
       WHERE "vehicleId" = ${vehicle.id}::uuid AND source = 'INSPECTION' AND ts >= ${window.from} AND ts < ${window.to}
         AND "treadMm" IS NOT NULL AND "odometerKm" IS NOT NULL
       ORDER BY 3`);
    return rows.map((row) => ({ position: row.position, source: row.source, odometerKm: row.odometer, treadMm: row.tread }));
  }

  /** Median pressure per wheel and bucket (buckets aligned to UTC midnight). */
  async pressure(vehicle: VehicleInScope, window: ChartWindow, bucketHours: number): Promise<PressureRow[]> {
    const rows = await this.prisma.$queryRaw<{ position: PressureRow['position']; bucket: Date; pressure: number }[]>(Prisma.sql`
      SELECT position::text AS position,
             date_bin(make_interval(hours => ${bucketHours}), ts, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS bucket,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY "pressureKpa") AS pressure
        FROM tire_readings
       WHERE "vehicleId" = ${vehicle.id}::uuid AND source = 'DEVICE' AND ts >= ${window.from} AND ts < ${window.to}
         AND "pressureKpa" IS NOT NULL
       GROUP BY 1, 2
       ORDER BY 2`);
    return rows.map((row) => ({ position: row.position, bucket: new Date(row.bucket), pressureKpa: row.pressure }));
  }

  /** The lowest health score of each UTC day per component, from the prediction history. */
  async healthDays(vehicle: VehicleInScope, window: ChartWindow): Promise<HealthDayRow[]> {
    return this.prisma.$queryRaw<HealthDayRow[]>(Prisma.sql`
      SELECT component::text AS component, to_char("scoredAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, min(health)::int AS health
        FROM prediction_snapshots
       WHERE "vehicleId" = ${vehicle.id}::uuid AND "scoredAt" >= ${window.from} AND "scoredAt" < ${window.to}
       GROUP BY 1, 2
       ORDER BY 2`);
  }

  async currentPredictions(vehicle: VehicleInScope): Promise<StoredPrediction[]> {
    return this.prisma.prediction.findMany({
      where: { vehicleId: vehicle.id },
      select: { component: true, risk: true, scoredAt: true, confidence: true, evidence: true, findings: true },
    });
  }

  /**
   * The last snapshot of each UTC day for these components: the models report their own daily figures
   * (for the window they read) in the evidence, so one snapshot a day is enough to rebuild a longer series.
   */
  async lastSnapshotPerDay(vehicle: VehicleInScope, components: readonly Component[], window: ChartWindow): Promise<DailyEvidenceRow[]> {
    return this.prisma.$queryRaw<DailyEvidenceRow[]>(Prisma.sql`
      SELECT DISTINCT ON (component, date_trunc('day', "scoredAt" AT TIME ZONE 'UTC'))
             component::text AS component, "scoredAt", evidence
        FROM prediction_snapshots
       WHERE "vehicleId" = ${vehicle.id}::uuid AND component::text IN (${Prisma.join([...components])})
         AND "scoredAt" >= ${window.from} AND "scoredAt" < ${window.to}
       ORDER BY component, date_trunc('day', "scoredAt" AT TIME ZONE 'UTC'), "scoredAt" DESC`);
  }

  /** Vehicles of the center per component and current risk. */
  async riskByComponent(scope: CenterScope): Promise<{ component: Component; risk: Risk; vehicles: number }[]> {
    return this.prisma.$queryRaw<{ component: Component; risk: Risk; vehicles: number }[]>(Prisma.sql`
      SELECT p.component::text AS component, p.risk::text AS risk, count(*)::int AS vehicles
        FROM predictions p
        JOIN vehicles v ON v.id = p."vehicleId"
       WHERE v."serviceCenterId" = ${scope.serviceCenterId}::uuid
       GROUP BY 1, 2`);
  }
}
