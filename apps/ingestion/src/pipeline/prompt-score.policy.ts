import type { TelemetrySample } from '#app/telemetry';

/**
 * Readings that may mean harm within hours, not weeks: a car sending one is scored within the debounce
 * instead of at the routine cadence, so an overheating engine or a flat tyre reaches the owner at once.
 * Deliberately wide: a false "prompt" costs one early score, a missed one costs up to a routine interval.
 */
export const PROMPT_SCORE_LIMITS = {
  /** The cooling model's danger line. */
  coolantC: 105,
  /** Well under any passenger car's placard pressure (about 210-250 kPa): a leak or a flat. */
  tirePressureKpa: 180,
  /** A resting 12 V battery below this is discharged; while running it means the alternator is not charging. */
  batteryV: 11.8,
} as const;

/** Why this sample should be scored promptly; undefined when routine scoring will do. */
export function promptScoreReason(sample: TelemetrySample): string | undefined {
  if (sample.dtcs !== undefined && sample.dtcs.length > 0) return `fault code ${sample.dtcs.join(', ')}`;
  if (sample.coolantTempC !== undefined && sample.coolantTempC >= PROMPT_SCORE_LIMITS.coolantC) return `coolant ${sample.coolantTempC} C`;
  if (sample.batteryV !== undefined && sample.batteryV < PROMPT_SCORE_LIMITS.batteryV) return `battery ${sample.batteryV} V`;
  for (const [position, tire] of Object.entries(sample.tires ?? {})) {
    if (tire?.pressureKpa !== undefined && tire.pressureKpa < PROMPT_SCORE_LIMITS.tirePressureKpa)
      return `tyre ${position} at ${tire.pressureKpa} kPa`;
  }
  return undefined;
}
