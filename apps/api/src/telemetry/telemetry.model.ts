import type { Bucket } from './telemetry.schema.js';

export interface TelemetrySampleView {
  ts: string;
  seq: number;
  receivedAt: string;
  odometerKm: number | null;
  speedKph: number | null;
  rpm: number | null;
  coolantTempC: number | null;
  fuelRateLph: number | null;
  fuelRateEstimated: boolean;
  batteryV: number | null;
  engineLoadPct: number | null;
  intakeTempC: number | null;
  mafGps: number | null;
  manifoldPressureKpa: number | null;
  throttlePct: number | null;
  ambientTempC: number | null;
  dtcs: string[];
}

export interface Aggregate {
  avg: number | null;
  min: number | null;
  max: number | null;
}

export interface TelemetryBucketView {
  /** Start of the bucket (buckets are aligned to UTC). */
  bucketStart: string;
  count: number;
  speedKph: Aggregate;
  coolantTempC: Aggregate;
  fuelRateLph: Aggregate;
  batteryV: Aggregate;
  rpm: Aggregate;
  odometerKmMax: number | null;
}

interface TelemetryWindow {
  vin: string;
  from: string;
  to: string;
  /** True when the window held more than `limit` rows: the newest ones are returned. */
  truncated: boolean;
}

export type TelemetryResponse =
  (TelemetryWindow & { bucket: null; samples: TelemetrySampleView[] }) | (TelemetryWindow & { bucket: Bucket; buckets: TelemetryBucketView[] });

export interface RejectedMessageView {
  id: string;
  receivedAt: string;
  reason: string;
  detail: string;
  topic: string;
  sampleIndex: number;
  payloadBytes: number;
  payloadExcerpt: string;
}
