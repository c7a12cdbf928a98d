import { z } from 'zod';

// A workshop PC's clock may run a little ahead of ours; more than this is a typo, not skew.
export const CLOCK_SKEW_MS = 60_000;

/** An ISO-8601 time that has already happened (a measurement or a job done). */
export function pastInstant() {
  return z.iso
    .datetime({ offset: true, error: 'must be an ISO-8601 date-time with a time zone offset' })
    .transform((value) => new Date(value))
    .refine((date) => date.getTime() <= Date.now() + CLOCK_SKEW_MS, 'must not be in the future');
}
