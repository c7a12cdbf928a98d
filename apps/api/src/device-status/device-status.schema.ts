import { z } from 'zod';
import { text } from '../common/text.schema.js';
import { vinSchema } from '../vehicles/vin.schema.js';

/** The cars a dashboard page shows: up to 200 VINs, comma-separated. */
export const deviceStatusQuerySchema = z.object({
  // text() first: a NUL is refused naming `vins`, not one element of the split list.
  vins: text()
    .min(1)
    .transform((value) => [
      ...new Set(
        value
          .split(',')
          .map((vin) => vin.trim())
          .filter((vin) => vin !== ''),
      ),
    ])
    .pipe(z.array(vinSchema).min(1).max(200))
    .describe('Comma-separated VINs (at most 200); VINs outside your center are left out of the answer'),
});

export type DeviceStatusQuery = z.output<typeof deviceStatusQuerySchema>;
