import { z } from 'zod';
import { COMPONENTS } from '#app/maintenance/vocabulary';

export const healthHistoryQueryFields = z.object({
  component: z.enum(COMPONENTS).optional().describe('Only this component'),
  from: z.iso.datetime({ offset: true }).optional().describe('ISO-8601, inclusive'),
  to: z.iso.datetime({ offset: true }).optional().describe('ISO-8601, exclusive'),
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Snapshots, newest kept'),
});

export const healthHistoryQuerySchema = healthHistoryQueryFields.transform(({ from, to, ...rest }, context) => {
  const start = from === undefined ? undefined : new Date(from);
  const end = to === undefined ? undefined : new Date(to);
  if (start && end && start >= end) {
    context.addIssue({ code: 'custom', path: ['from'], message: '`from` must be before `to`' });
    return z.NEVER;
  }
  return { ...rest, from: start, to: end };
});

export type HealthHistoryQuery = z.output<typeof healthHistoryQuerySchema>;
