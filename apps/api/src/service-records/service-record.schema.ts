import { z } from 'zod';
import { text } from '../common/text.schema.js';
import { ServiceKind, TirePosition } from '#app/database';
import { PLAUSIBLE_RANGES } from '#app/telemetry';
import { pastInstant } from '../vehicle-health/past-instant.schema.js';

const SERVICE_KINDS = Object.values(ServiceKind) as [ServiceKind, ...ServiceKind[]];
const POSITIONS = Object.values(TirePosition) as [TirePosition, ...TirePosition[]];

export const createServiceRecordSchema = z.strictObject({
  kind: z.enum(SERVICE_KINDS),
  performedAt: pastInstant(),
  odometerKm: z.number().min(PLAUSIBLE_RANGES.odometerKm.min).max(PLAUSIBLE_RANGES.odometerKm.max).optional(),
  positions: z
    .array(z.enum(POSITIONS))
    .max(POSITIONS.length)
    .refine((positions) => new Set(positions).size === positions.length, 'each wheel at most once')
    .optional()
    .describe('Wheels the work applied to (tire replacement, puncture repair); empty or absent: all / not applicable'),
  notes: text().trim().max(2000).optional(),
});

export type CreateServiceRecordRequest = z.output<typeof createServiceRecordSchema>;

export const listServiceRecordsQuerySchema = z.object({
  kind: z.enum(SERVICE_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export type ListServiceRecordsQuery = z.output<typeof listServiceRecordsQuerySchema>;
