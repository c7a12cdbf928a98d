import { z } from 'zod';
import { PLAUSIBLE_RANGES } from '#app/telemetry';
import { text } from '../common/text.schema.js';
import { pastInstant } from '../vehicle-health/past-instant.schema.js';

export const createOdometerCorrectionSchema = z.strictObject({
  effectiveAt: pastInstant().describe('When the odometer changed (e.g. the instrument cluster was replaced)'),
  odometerKm: z
    .number()
    .min(PLAUSIBLE_RANGES.odometerKm.min)
    .max(PLAUSIBLE_RANGES.odometerKm.max)
    .describe('The reading the car shows from then on: the new baseline'),
  note: text().trim().max(500).optional(),
});

export type CreateOdometerCorrectionRequest = z.output<typeof createOdometerCorrectionSchema>;
