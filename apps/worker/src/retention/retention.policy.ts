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
