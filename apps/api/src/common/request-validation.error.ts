import type { z } from 'zod';

/** A request that does not match its schema; `issues` name each offending field. */
export class RequestValidationError extends Error {
  readonly issues: { path: string; message: string }[];

  constructor(issues: z.core.$ZodIssue[]) {
    const flat = issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
    super(flat.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; '));
    this.name = 'RequestValidationError';
    this.issues = flat;
  }
}
