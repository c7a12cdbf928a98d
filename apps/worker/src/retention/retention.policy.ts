const DAY_MS = 86_400_000;

export interface RetentionSettings {
  telemetryDays: number;
  rejectedDays: number;
}

export interface RetentionCutoffs {
  /** Raw telemetry samples and device tyre readings measured before this are deleted. */
  telemetryBefore: Date;
  /** Rejected messages received before this are deleted. */
  rejectedBefore: Date;
}

/**
 * What the retention sweep deletes. A sample is stored once because (vehicle, seq) is unique; once it is
 * deleted, only the contract's age limit stops a resend from being stored again. So telemetry must be kept
 * longer than a sample may be late: refused otherwise, whatever the configuration says.
 */
export function retentionCutoffs(now: Date, settings: RetentionSettings, maxSampleAgeMs: number): RetentionCutoffs {
  const telemetryMs = settings.telemetryDays * DAY_MS;
  if (telemetryMs <= maxSampleAgeMs) {
    throw new RangeError(
      `telemetry retention of ${settings.telemetryDays} days is not longer than the ${maxSampleAgeMs / DAY_MS} days a sample may be late`,
    );
  }
  return {
    telemetryBefore: new Date(now.getTime() - telemetryMs),
    rejectedBefore: new Date(now.getTime() - settings.rejectedDays * DAY_MS),
  };
}

/**
 * The day partitions whose whole day is past retention: [day, day + 1 day) ends at or before the cutoff. The
 * day that holds the cutoff stays until tomorrow's sweeps, so retention is "at least the configured days,
 * at most one day more" and nothing newer than the cutoff is ever dropped.
 */
export function partitionsPastRetention<P extends { day: Date }>(partitions: readonly P[], telemetryBefore: Date): P[] {
  return partitions.filter((partition) => partition.day.getTime() + DAY_MS <= telemetryBefore.getTime());
}
