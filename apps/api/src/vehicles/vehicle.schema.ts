import { z } from 'zod';
import { storable, text } from '../common/text.schema.js';
import { vinSchema } from './vin.schema.js';

const FUEL_TYPES = ['PETROL', 'DIESEL', 'HYBRID', 'ELECTRIC', 'LPG'] as const;

export const createVehicleSchema = z.strictObject({
  vin: vinSchema,
  make: text().trim().min(1).max(60),
  model: text().trim().min(1).max(60),
  year: z
    .number()
    .int()
    .min(1950)
    .max(new Date().getFullYear() + 1),
  fuelType: z.enum(FUEL_TYPES).optional(),
  plate: text().trim().min(1).max(20).optional(),
  ownerEmail: storable(z.email()).transform((email) => email.toLowerCase()),
  ownerName: text().trim().min(1).max(120).optional(),
  ownerPhone: text().trim().min(3).max(40).optional(),
  oilServiceIntervalKm: z.number().int().min(1000).max(100_000).optional(),
  oilServiceIntervalMonths: z.number().int().min(1).max(60).optional(),
  odometerKm: z.number().min(0).max(3_000_000).optional(),
});

export type CreateVehicleRequest = z.output<typeof createVehicleSchema>;

export const listVehiclesQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** The `nextCursor` of the previous page (keyset paging, stable while vehicles are added). */
    cursor: vinSchema.optional(),
    offset: z.coerce.number().int().min(0).optional(),
  })
  .refine((query) => query.cursor === undefined || query.offset === undefined, {
    error: 'use either cursor or offset, not both',
  });

export type ListVehiclesQuery = z.output<typeof listVehiclesQuerySchema>;
