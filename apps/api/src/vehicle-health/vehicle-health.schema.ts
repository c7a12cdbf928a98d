import { z } from 'zod';
import { COMPONENTS } from '#app/maintenance/vocabulary';

export const healthHistoryQueryFields = z.object({
  component: z.enum(COMPONENTS).optional().describe('Only this component'),
  from: z.iso.datetime({ offset: true }).optional().describe('ISO-8601, inclusive'),
  to: z.iso.datetime({ offset: true }).optional().describe('ISO-8601, exclusive'),
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Snapshots, newest kept'),
  include: z
    .string()
    .regex(/^(evidence|findings)(,(evidence|findings))?$/, 'evidence, findings, or both comma-separated')
    .optional()
    .describe(
      "evidence, findings or both (comma-separated): each snapshot's evidence and structured findings too (kilobytes " +
        'each); left out by default, as no list or chart of the history draws them, and its explanation says them in words',
    ),
});

export const healthHistoryQuerySchema = healthHistoryQueryFields.transform(({ from, to, include, ...rest }, context) => {
  const start = from === undefined ? undefined : new Date(from);
  const end = to === undefined ? undefined : new Date(to);
  if (start && end && start >= end) {
    context.addIssue({ code: 'custom', path: ['from'], message: '`from` must be before `to`' });
    return z.NEVER;
  }
  const extras = new Set(include?.split(','));
  return { ...rest, from: start, to: end, withEvidence: extras.has('evidence'), withFindings: extras.has('findings') };
});

export type HealthHistoryQuery = z.output<typeof healthHistoryQuerySchema>;
