import { z } from 'zod';
import { PLAUSIBLE_RANGES, WHEEL_POSITIONS } from '#app/telemetry';
import { pastInstant } from '../vehicle-health/past-instant.schema.js';

const { treadMm, pressureKpa } = PLAUSIBLE_RANGES;

// The same ranges as the device contract: a value a device could not send is not a valid inspection.
const tireSchema = z.strictObject({
  treadMm: z
    .number()
    .min(treadMm.min, `tread depth must be between ${treadMm.min} and ${treadMm.max} mm`)
    .max(treadMm.max, `tread depth must be between ${treadMm.min} and ${treadMm.max} mm`)
    .optional(),
  pressureKpa: z
    .number()
    .min(pressureKpa.min, `pressure must be between ${pressureKpa.min} and ${pressureKpa.max} kPa`)
    .max(pressureKpa.max, `pressure must be between ${pressureKpa.min} and ${pressureKpa.max} kPa`)
    .optional(),
});

export type TireInput = z.output<typeof tireSchema>;

/** `tires` as in the device contract: any wheel may be missing, at least one value overall. */
const tiresSchema = z
  .strictObject(
    Object.fromEntries(WHEEL_POSITIONS.map((position) => [position, tireSchema.optional()])) as Record<
      (typeof WHEEL_POSITIONS)[number],
      z.ZodOptional<typeof tireSchema>
    >,
  )
  .refine(
    (tires) => Object.values(tires).some((tire) => tire?.treadMm !== undefined || tire?.pressureKpa !== undefined),
    'at least one wheel needs a treadMm or pressureKpa value',
  );

export const createInspectionSchema = z.strictObject({
  measuredAt: pastInstant(),
  odometerKm: z.number().min(PLAUSIBLE_RANGES.odometerKm.min).max(PLAUSIBLE_RANGES.odometerKm.max),
  tires: tiresSchema,
});

export type CreateInspectionRequest = z.output<typeof createInspectionSchema>;
