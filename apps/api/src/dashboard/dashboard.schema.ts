import { z } from 'zod';
import { RISKS } from '#app/maintenance/vocabulary';

export const attentionQuerySchema = z.object({
  risk: z.enum(RISKS).default('SOON').describe('Vehicles whose worst component is at this risk or worse'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  view: z
    .enum(['due', 'handled'])
    .default('due')
    .describe('due: the cars to call now; handled: the cars a recent call outcome holds off the list, and until when'),
});

export type AttentionQuery = z.output<typeof attentionQuerySchema>;
