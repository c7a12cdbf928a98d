import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type ScoringConfig } from '#app/config';
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
  type TireReadingPoint,
  type VehicleHistory,
  type VehicleProfile,
  type WheelPosition,
} from '#app/maintenance';
import { StatementBatcher, statementsInFlight } from './statement-batcher.js';
import { TireHourCache, type TireHourFreshness } from './tire-hour.cache.js';

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

/**
 * The most cars one batched scoringInput carries: its result is every car's new telemetry and context (a few hundred
 * 30-second buckets each on the incremental path, ~2,900 per car on a full read), so it stays small.
 */
const BATCH_MAX = 16;

/** One car's scoringInput call. */
interface InputCall {
  vehicleId: string;
  profile: VehicleProfile;
  now: Date;
  after: Date | null;
  tireReadingsFrom: Date | null;
  /** The end of the closed hours of device readings the worker holds (TireHourCache): read from there; null: none held. */
  heldHoursUntil: Date | null;
}

/** Where a score's read of device tyre readings began, and how many held hourly medians (TireHourCache) it used. */
export interface DeviceRead {
  vehicleId: string;
  from: Date;
  heldPoints: number;
}

/** The bounds of one car's read, computed here once for its single and its batched statement. */
interface ReadWindows {
  /** The first 30-second bucket read: the window's start, or the bucket after the summaries' `after`. */
  from: Date;
  now: Date;
  /** Device tyre readings from here (the horizon, or the tyre summary's watermark: both a UTC day's start). */
  deviceFrom: Date;
  inspectionFrom: Date;
  /** Raw pressures after this (the puncture check's newest readings). */
  pressureFrom: Date;
}

/** The first ms of device tyre readings a score needs: the horizon, or the tyre summary's watermark (a UTC day's start). */
const deviceWatermarkMs = (now: Date, tireReadingsFrom: Date | null): number =>
  Math.max(tireReadingHorizonMs(now), tireReadingsFrom?.getTime() ?? -Infinity);

function windowsOf({ now, after, tireReadingsFrom, heldHoursUntil }: InputCall): ReadWindows {
  const windowStart = summaryHorizonMs(now) - READ_BEFORE_HORIZON_MS;
  const resume = after === null ? windowStart : after.getTime() + HISTORY_WINDOWS.telemetryBucketSeconds * 1000;
  return {
    from: new Date(Math.max(windowStart, resume)),
    now,
    // The horizon, the watermark and the end of the held hours all start an hour, so the hourly buckets read are whole.
    deviceFrom: new Date(Math.max(deviceWatermarkMs(now, tireReadingsFrom), heldHoursUntil?.getTime() ?? -Infinity)),
    inspectionFrom: new Date(now.getTime() - HISTORY_WINDOWS.inspectionDays * DAY_MS),
    pressureFrom: new Date(now.getTime() - RECENT_PRESSURE.maxAgeHours * 3_600_000),
  };
}

/**
 * What the statements refer to for a car: parameters for a car read alone, the batch row's columns (`q.`) for a car in
 * a batch. `prune` adds bounds on the partitioned tables' `ts` that are plain values for the planner: a batch's
 * per-car bounds are columns, known only while it runs (the scans still prune per car at run time), so the batch
 * also bounds each read by the earliest and latest of its cars, which the planner prunes the day partitions with.
 * Without them it would plan and lock every day partition (the ingestion statement learnt it: README, "Queries
 * prune").
 */
interface CarRefs {
  id: Prisma.Sql;
  from: Prisma.Sql;
  now: Prisma.Sql;
  deviceFrom: Prisma.Sql;
  inspectionFrom: Prisma.Sql;
  pressureFrom: Prisma.Sql;
  prune: { telemetry: Prisma.Sql; device: Prisma.Sql; pressure: Prisma.Sql };
}

const paramRefs = (vehicleId: string, w: ReadWindows): CarRefs => ({
  id: Prisma.sql`${vehicleId}::uuid`,
  from: Prisma.sql`${w.from}`,
  now: Prisma.sql`${w.now}`,
  deviceFrom: Prisma.sql`${w.deviceFrom}`,
  inspectionFrom: Prisma.sql`${w.inspectionFrom}`,
  pressureFrom: Prisma.sql`${w.pressureFrom}`,
  prune: { telemetry: Prisma.empty, device: Prisma.empty, pressure: Prisma.empty },
});

function batchRefs(windows: readonly ReadWindows[]): CarRefs {
  const earliest = (pick: (w: ReadWindows) => Date): Date => new Date(Math.min(...windows.map((w) => pick(w).getTime())));
  const latest = new Date(Math.max(...windows.map((w) => w.now.getTime())));
  return {
    id: Prisma.sql`q.id`,
    from: Prisma.sql`q."from"`,
    now: Prisma.sql`q.now`,
    deviceFrom: Prisma.sql`q."deviceFrom"`,
    inspectionFrom: Prisma.sql`q."inspectionFrom"`,
    pressureFrom: Prisma.sql`q."pressureFrom"`,
    prune: {
      telemetry: Prisma.sql` AND ts >= ${earliest((w) => w.from)} AND ts <= ${latest}`,
      device: Prisma.sql` AND ts >= ${earliest((w) => w.deviceFrom)} AND ts <= ${latest}`,
      pressure: Prisma.sql` AND ts > ${earliest((w) => w.pressureFrom)} AND ts <= ${latest}`,
    },
  };
}

@Injectable()
export class VehicleHistoryLoader {
  /** Concurrent scores share this read (group commit: StatementBatcher, as the prediction store's statements). */
  private readonly inputs: StatementBatcher<InputCall, ScoringInput>;
  private readonly tireHours: TireHourCache;
  private batchListener: ((size: number) => void) | undefined;
  private deviceReadListener: ((read: DeviceRead) => void) | undefined;

  constructor(
    private readonly prisma: PrismaService,
    // Optional so tests and benchmarks may leave it out: no batching then.
    @Optional() @Inject(APP_CONFIG) config?: ScoringConfig,
  ) {
    this.inputs = new StatementBatcher(
      { one: (call) => this.inputOne(call), many: (calls) => this.inputMany(calls), key: (call) => call.vehicleId },
      BATCH_MAX,
      (size) => this.batchListener?.(size),
      statementsInFlight(config),
    );
    // As many cars as the model-state cache holds (none without a config: tests and benchmarks that leave it out).
    this.tireHours = new TireHourCache(config?.scoring.stateCacheVehicles ?? 0);
  }

  /** Tells `listener` the size of each scoringInput statement sent from now on (1: a car alone), for tests and benchmarks. */
  observeBatches(listener: (size: number) => void): void {
    this.batchListener = listener;
  }

  /** Tells `listener` where each score's read of device tyre readings began and how many held hourly medians it used. */
  observeDeviceReads(listener: (read: DeviceRead) => void): void {
    this.deviceReadListener = listener;
  }

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
   * the days the tyre summary folded; null: the whole window). With `freshness` (what the car's row said when the
   * score started) the closed hours of device readings this worker read for the car before are not read again
   * (TireHourCache); `now` must then be the scoredAt the score marks the car with.
   */
  async scoringInput(
    vehicleId: string,
    profile: VehicleProfile,
    now: Date,
    after: Date | null,
    tireReadingsFrom: Date | null,
    freshness?: TireHourFreshness,
  ): Promise<ScoringInput> {
    if (freshness === undefined) return this.inputs.run({ vehicleId, profile, now, after, tireReadingsFrom, heldHoursUntil: null });
    const watermarkMs = deviceWatermarkMs(now, tireReadingsFrom);
    const held = this.tireHours.take(vehicleId, watermarkMs, freshness);
    const call: InputCall = { vehicleId, profile, now, after, tireReadingsFrom, heldHoursUntil: held === null ? null : new Date(held.untilMs) };
    // An optional call: without a listener its argument (windowsOf) is not evaluated.
    this.deviceReadListener?.({ vehicleId, from: windowsOf(call).deviceFrom, heldPoints: held?.points.length ?? 0 });
    let input: ScoringInput;
    try {
      input = await this.inputs.run(call);
    } catch (error) {
      this.tireHours.release(vehicleId);
      throw error;
    }
    const tireReadings = held === null ? input.context.tireReadings : mergeByTime(held.points, input.context.tireReadings);
    this.tireHours.keep(
      vehicleId,
      watermarkMs,
      tireReadings.filter((r) => r.source === 'DEVICE' && r.ts.getTime() >= watermarkMs),
      now,
    );
    return held === null ? input : { ...input, context: { ...input.context, tireReadings } };
  }

  private async inputOne(call: InputCall): Promise<ScoringInput> {
    const refs = paramRefs(call.vehicleId, windowsOf(call));
    const sql = Prisma.sql`
      SELECT (SELECT coalesce(json_agg(b ORDER BY b.ts), '[]')::text FROM (${bucketsSql(refs)}) b) AS samples,
             ${contextColumnsSql(refs)}`;
    // On the pg pool under Prisma, as the prediction store's statements: $queryRaw's parameter and row conversion
    // cost 1-5 ms per statement on this machine, and every column here is text. Not prepared, unlike the store's: it
    // reads the day-partitioned telemetry, whose partitions a custom plan prunes with the values, and a generic plan
    // would lock every partition (a year's worth in production) on each execution (PrismaService.poolRowsPrepared).
    const [row] = await this.prisma.poolRows<ScoringInputRow>(sql);
    if (row === undefined) throw new Error('scoring input query returned no row');
    return { samples: toSamples(JSON.parse(row.samples) as BucketRow[]), context: toContext(row, call.profile) };
  }

  /**
   * inputOne for several cars in one statement: one row per car (`ord`), each part a subquery correlated to its car's
   * row, so it runs per car with that car's bounds; unprepared too, for the plan-time pruning `batchRefs` makes
   * possible.
   */
  private async inputMany(calls: readonly InputCall[]): Promise<ScoringInput[]> {
    const windows = calls.map(windowsOf);
    const cars = calls.map((call, ord) => ({ ord, id: call.vehicleId, ...windows[ord] }));
    const refs = batchRefs(windows);
    const rows = await this.prisma.poolRows<ScoringInputRow & { ord: number }>(Prisma.sql`
      SELECT q.ord,
             (SELECT coalesce(json_agg(b ORDER BY b.ts), '[]')::text FROM (${bucketsSql(refs)}) b) AS samples,
             ${contextColumnsSql(refs)}
      FROM jsonb_to_recordset(${JSON.stringify(cars)}::jsonb) AS q(ord int, id uuid, "from" timestamptz, now timestamptz,
           "deviceFrom" timestamptz, "inspectionFrom" timestamptz, "pressureFrom" timestamptz)`);
    const byOrd = new Map(rows.map((row) => [row.ord, row]));
    return calls.map((call, ord) => {
      const row = byOrd.get(ord);
      if (row === undefined) throw new Error('batched scoring input query returned no row for a car');
      return { samples: toSamples(JSON.parse(row.samples) as BucketRow[]), context: toContext(row, call.profile) };
    });
  }
}

function bucketsSql(car: CarRefs): Prisma.Sql {
  // min(battery): a cranking dip lasts a second or two and must survive the aggregation.
  return Prisma.sql`
    SELECT date_bin(${`${HISTORY_WINDOWS.telemetryBucketSeconds} seconds`}::interval, ts, TIMESTAMPTZ 'epoch') AS ts,
           max("odometerKm") AS odometer, avg("speedKph") AS speed, avg(rpm) AS rpm,
           avg("coolantTempC") AS coolant, avg("fuelRateLph") AS fuel, bool_or("fuelRateEstimated") AS fuel_est,
           min("batteryV") AS battery, avg("engineLoadPct") AS load, avg("intakeTempC") AS intake,
           avg("ambientTempC") AS ambient,
           nullif(string_agg(nullif(array_to_string(dtcs, ','), ''), ','), '') AS dtcs
    FROM telemetry_samples
    WHERE "vehicleId" = ${car.id} AND ts >= ${car.from} AND ts <= ${car.now}${car.prune.telemetry}
    GROUP BY 1`;
}

/** The context's four parts as json-array columns (tires, recent pressures, services, corrections) of one row. */
function contextColumnsSql(car: CarRefs): Prisma.Sql {
  return Prisma.sql`
    -- Device readings come with every sample: hourly medians per wheel keep the window small.
    (SELECT coalesce(json_agg(t ORDER BY t.ts), '[]')::text FROM (
      SELECT position, date_trunc('hour', ts) AS ts, max("odometerKm") AS odometer,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY "treadMm") AS tread,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY "pressureKpa") AS pressure, 'DEVICE' AS source
      FROM tire_readings
      WHERE "vehicleId" = ${car.id} AND source = 'DEVICE' AND ts >= ${car.deviceFrom} AND ts <= ${car.now}${car.prune.device}
      GROUP BY position, date_trunc('hour', ts)
      UNION ALL
      SELECT position, ts, "odometerKm", "treadMm", "pressureKpa", 'INSPECTION'
      FROM tire_readings
      WHERE "vehicleId" = ${car.id} AND source = 'INSPECTION' AND ts >= ${car.inspectionFrom} AND ts <= ${car.now}
    ) t) AS tires,
    -- Each wheel's newest raw pressures: a puncture shows on the first low one, long before it moves an hourly median
    -- (tires/pressure-loss.ts). Four index scans of a few rows in the newest day partitions (36 hours at most).
    (SELECT coalesce(json_agg(json_build_object('position', w.position, 'ts', r.ts, 'pressure', r."pressureKpa") ORDER BY r.ts), '[]')::text
     FROM (VALUES ('FL'::"TirePosition"), ('FR'), ('RL'), ('RR')) AS w(position)
     CROSS JOIN LATERAL (
       SELECT ts, "pressureKpa" FROM tire_readings
       WHERE "vehicleId" = ${car.id} AND source = 'DEVICE' AND position = w.position AND "pressureKpa" IS NOT NULL
         AND ts > ${car.pressureFrom} AND ts <= ${car.now}${car.prune.pressure}
       ORDER BY ts DESC LIMIT ${RECENT_PRESSURE.count}) r) AS recent_pressures,
    (SELECT coalesce(json_agg(json_build_object('kind', kind, 'performedAt', "performedAt", 'odometerKm', "odometerKm",
                                                'positions', positions) ORDER BY "performedAt"), '[]')::text
     FROM service_records WHERE "vehicleId" = ${car.id} AND "performedAt" <= ${car.now}) AS services,
    -- All of them, not a window: a confirmed change stays the baseline for the life of the car.
    (SELECT coalesce(json_agg(json_build_object('effectiveAt', "effectiveAt", 'odometerKm', "odometerKm",
                                                'confirmedById', "confirmedById", 'confirmedAt', "confirmedAt") ORDER BY "effectiveAt"), '[]')::text
     FROM odometer_corrections WHERE "vehicleId" = ${car.id} AND "effectiveAt" <= ${car.now}) AS corrections`;
}

/**
 * The held hours (all before the device readings read) and the read readings (device and inspections) as one list
 * ascending by time, as the read would have returned them whole; held first where times are equal.
 */
function mergeByTime(held: readonly TireReadingPoint[], read: readonly TireReadingPoint[]): TireReadingPoint[] {
  const merged: TireReadingPoint[] = [];
  let i = 0;
  for (const reading of read) {
    for (; i < held.length && held[i].ts.getTime() <= reading.ts.getTime(); i++) merged.push(held[i]);
    merged.push(reading);
  }
  return merged.concat(held.slice(i));
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
