import { z } from 'zod';

/** Bucket widths for downsampling, as Postgres intervals. */
export const BUCKETS = { '1m': '1 minute', '5m': '5 minutes', '15m': '15 minutes', '1h': '1 hour', '1d': '1 day' } as const;
export type Bucket = keyof typeof BUCKETS;

const DAY_MS = 24 * 3600 * 1000;

/** The query parameters as sent (documented in OpenAPI); telemetryQuerySchema resolves the defaults. */
export const telemetryQueryFields = z.object({
  from: z.iso.datetime({ offset: true }).optional().describe('ISO-8601; default: 24 h before `to`'),
  to: z.iso.datetime({ offset: true }).optional().describe('ISO-8601, exclusive; default: now'),
  bucket: z
    .enum(Object.keys(BUCKETS) as [Bucket, ...Bucket[]])
    .optional()
    .describe('Downsample into buckets'),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000).describe('Samples (or buckets), newest kept'),
});

export const telemetryQuerySchema = telemetryQueryFields.transform(({ from, to, ...rest }, context) => {
  const end = to === undefined ? new Date() : new Date(to);
  const start = from === undefined ? new Date(end.getTime() - DAY_MS) : new Date(from);
  if (start >= end) {
    context.addIssue({ code: 'custom', path: ['from'], message: '`from` must be before `to`' });
    return z.NEVER;
  }
  return { ...rest, from: start, to: end };
});

export type TelemetryQuery = z.output<typeof telemetryQuerySchema>;

export const rejectedQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export type RejectedQuery = z.output<typeof rejectedQuerySchema>;
