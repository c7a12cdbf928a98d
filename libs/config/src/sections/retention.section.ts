import { z } from 'zod';
import { positiveInt, type Env } from '../env-schema.js';

export const retentionShape = {
  /**
   * Raw telemetry (and device tyre readings) older than this is deleted by the worker's retention sweep.
   * It must exceed the 365 days a sample may be late (the device contract), or a late resend of a deleted
   * sample would be stored a second time. Models read at most 120 days.
   */
  TELEMETRY_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(366, 'must be at least 366: samples up to 365 days old are accepted, and a resend must still find its original')
    .default(400),
  /** Rejected messages are kept this long for owners and staff to look up. */
  REJECTED_RETENTION_DAYS: positiveInt(90),
  /** How often the retention sweep runs (one replica at a time: a BullMQ job scheduler). */
  RETENTION_INTERVAL_MS: positiveInt(3_600_000),
};

export interface RetentionConfig {
  readonly retention: {
    readonly telemetryDays: number;
    readonly rejectedDays: number;
    readonly intervalMs: number;
  };
}

export const retentionOf = (e: Env<typeof retentionShape>): RetentionConfig => ({
  retention: { telemetryDays: e.TELEMETRY_RETENTION_DAYS, rejectedDays: e.REJECTED_RETENTION_DAYS, intervalMs: e.RETENTION_INTERVAL_MS },
});
