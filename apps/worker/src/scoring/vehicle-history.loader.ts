import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '#app/database';
import {
  READ_BEFORE_HORIZON_MS,
  RECENT_PRESSURE,
  summaryHorizonMs,
  TIRE_READING_HORIZON_DAYS,
  tireReadingHorizonMs,
  type DecisionContext,
  type ServiceKind,
  type TelemetryPoint,
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

/** A 30-second bucket as the query returns it (json_agg renders its ts as ISO text with an offset). */
interface BucketRow {
  ts: string;
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

interface ContextRow {
  tires: string;
  recent_pressures: string;
  services: string;
  corrections: string;
}

interface ScoringInputRow extends ContextRow {
  samples: string;
}

/** What a score reads besides the saved states: the new telemetry and the decision context. */
export interface ScoringInput {
  samples: TelemetryPoint[];
  context: DecisionContext;
}

/** json_agg renders timestamps as ISO text with an offset; the rest as JSON numbers, strings and arrays. */
interface TireJson {
  position: WheelPosition;
  ts: string;
  odometer: number | null;
  tread: number | null;
  pressure: number | null;
  source: 'DEVICE' | 'INSPECTION';
}

interface RecentPressureJson {
  position: WheelPosition;
  ts: string;
  pressure: number;
}

interface ServiceJson {
  kind: ServiceKind;
  performedAt: string;
  odometerKm: number | null;
  positions: WheelPosition[];
}

interface CorrectionJson {
  effectiveAt: string;
  odometerKm: number;
  confirmedById: string;
  confirmedAt: string;
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

@Injectable()
export class VehicleHistoryLoader {
  constructor(private readonly prisma: PrismaService) {}

  /** The whole window: what the full path (a first score, a rebuild) reads. */
  async load(vehicleId: string, profile: VehicleProfile, now: Date): Promise<VehicleHistory> {
    const { samples, context } = await this.scoringInput(vehicleId, profile, now, null, null);
    return { ...context, samples };
  }

  /**
   * What one score reads, in one query (each part comes back as a json array): the 30-second buckets after
   * `after` (the end of the last closed segment the summaries folded: its bucket is complete, so reading resumes
   * at the next one; null: the whole window), and everything a decision needs besides the telemetry, small and
   * read whole on every score except the device tyre readings, read from `tireReadingsFrom` (the watermark of
   * the days the tyre summary folded; null: the whole window).
   */
  async scoringInput(
    vehicleId: string,
    profile: VehicleProfile,
    now: Date,
    after: Date | null,
    tireReadingsFrom: Date | null,
  ): Promise<ScoringInput> {
    const sql = Prisma.sql`
      SELECT (SELECT coalesce(json_agg(b ORDER BY b.ts), '[]')::text FROM (${bucketsSql(vehicleId, after, now)}) b) AS samples,
             ${contextColumnsSql(vehicleId, now, tireReadingsFrom)}`;
    // On the pg pool under Prisma, as the prediction store's statements: $queryRaw's parameter and row conversion
    // cost 1-5 ms per statement on this machine, and every column here is text. Not prepared, unlike the store's: it
    // reads the day-partitioned telemetry, whose partitions a custom plan prunes with the values, and a generic plan
    // would lock every partition (a year's worth in production) on each execution (PrismaService.poolRowsPrepared).
    const [row] = await this.prisma.poolRows<ScoringInputRow>(sql);
    if (row === undefined) throw new Error('scoring input query returned no row');
    return { samples: toSamples(JSON.parse(row.samples) as BucketRow[]), context: toContext(row, profile) };
  }
}

function bucketsSql(vehicleId: string, after: Date | null, now: Date): Prisma.Sql {
  const windowStart = summaryHorizonMs(now) - READ_BEFORE_HORIZON_MS;
  const resume = after === null ? windowStart : after.getTime() + HISTORY_WINDOWS.telemetryBucketSeconds * 1000;
  const from = new Date(Math.max(windowStart, resume));
  // min(battery): a cranking dip lasts a second or two and must survive the aggregation.
  return Prisma.sql`
    SELECT date_bin(${`${HISTORY_WINDOWS.telemetryBucketSeconds} seconds`}::interval, ts, TIMESTAMPTZ 'epoch') AS ts,
           max("odometerKm") AS odometer, avg("speedKph") AS speed, avg(rpm) AS rpm,
           avg("coolantTempC") AS coolant, avg("fuelRateLph") AS fuel, bool_or("fuelRateEstimated") AS fuel_est,
           min("batteryV") AS battery, avg("engineLoadPct") AS load, avg("intakeTempC") AS intake,
           avg("ambientTempC") AS ambient,
           nullif(string_agg(nullif(array_to_string(dtcs, ','), ''), ','), '') AS dtcs
    FROM telemetry_samples
    WHERE "vehicleId" = ${vehicleId}::uuid AND ts >= ${from} AND ts <= ${now}
    GROUP BY 1`;
}

/** The context's four parts as json-array columns (tires, recent pressures, services, corrections) of one row. */
function contextColumnsSql(vehicleId: string, now: Date, tireReadingsFrom: Date | null): Prisma.Sql {
  // The horizon and the watermark are both the start of a UTC day, so the hourly buckets read are whole.
  const deviceFrom = new Date(Math.max(tireReadingHorizonMs(now), tireReadingsFrom?.getTime() ?? -Infinity));
  const inspectionFrom = new Date(now.getTime() - HISTORY_WINDOWS.inspectionDays * DAY_MS);
  return Prisma.sql`
    -- Device readings come with every sample: hourly medians per wheel keep the window small.
    (SELECT coalesce(json_agg(t ORDER BY t.ts), '[]')::text FROM (
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
    ) t) AS tires,
    -- Each wheel's newest raw pressures: a puncture shows on the first low one, long before it moves an hourly median
    -- (tires/pressure-loss.ts). Four index scans of a few rows in the newest day partitions (36 hours at most).
    (SELECT coalesce(json_agg(json_build_object('position', w.position, 'ts', r.ts, 'pressure', r."pressureKpa") ORDER BY r.ts), '[]')::text
     FROM (VALUES ('FL'::"TirePosition"), ('FR'), ('RL'), ('RR')) AS w(position)
     CROSS JOIN LATERAL (
       SELECT ts, "pressureKpa" FROM tire_readings
       WHERE "vehicleId" = ${vehicleId}::uuid AND source = 'DEVICE' AND position = w.position AND "pressureKpa" IS NOT NULL
         AND ts > ${new Date(now.getTime() - RECENT_PRESSURE.maxAgeHours * 3_600_000)} AND ts <= ${now}
       ORDER BY ts DESC LIMIT ${RECENT_PRESSURE.count}) r) AS recent_pressures,
    (SELECT coalesce(json_agg(json_build_object('kind', kind, 'performedAt', "performedAt", 'odometerKm', "odometerKm",
                                                'positions', positions) ORDER BY "performedAt"), '[]')::text
     FROM service_records WHERE "vehicleId" = ${vehicleId}::uuid AND "performedAt" <= ${now}) AS services,
    -- All of them, not a window: a confirmed change stays the baseline for the life of the car.
    (SELECT coalesce(json_agg(json_build_object('effectiveAt', "effectiveAt", 'odometerKm', "odometerKm",
                                                'confirmedById', "confirmedById", 'confirmedAt', "confirmedAt") ORDER BY "effectiveAt"), '[]')::text
     FROM odometer_corrections WHERE "vehicleId" = ${vehicleId}::uuid AND "effectiveAt" <= ${now}) AS corrections`;
}

function toSamples(rows: readonly BucketRow[]): TelemetryPoint[] {
  return rows.map((row) => ({
    ts: new Date(row.ts),
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

function toContext(row: ContextRow, profile: VehicleProfile): DecisionContext {
  const tires = JSON.parse(row.tires) as TireJson[];
  const services = JSON.parse(row.services) as ServiceJson[];
  const corrections = JSON.parse(row.corrections) as CorrectionJson[];
  const recent = JSON.parse(row.recent_pressures) as RecentPressureJson[];
  return {
    profile,
    recentTirePressures: recent.map((r) => ({ position: r.position, ts: new Date(r.ts), pressureKpa: r.pressure })),
    tireReadings: tires.map((t) => ({
      position: t.position,
      ts: new Date(t.ts),
      odometerKm: orUndefined(t.odometer),
      treadMm: orUndefined(t.tread),
      pressureKpa: orUndefined(t.pressure),
      source: t.source,
    })),
    serviceEvents: services.map((event) => ({
      kind: event.kind,
      performedAt: new Date(event.performedAt),
      odometerKm: orUndefined(event.odometerKm),
      positions: event.positions,
    })),
    odometerCorrections: corrections.map((c) => ({
      effectiveAt: new Date(c.effectiveAt),
      odometerKm: c.odometerKm,
      confirmedBy: c.confirmedById,
      confirmedAt: new Date(c.confirmedAt),
    })),
  };
}
