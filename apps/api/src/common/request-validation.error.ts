import type { z } from 'zod';
import { DomainError } from '#app/errors';

/** A request that does not match its schema; `issues` name each offending field. */
export class RequestValidationError extends DomainError {
  readonly kind = 'invalid';
  readonly issues: { path: string; message: string }[];

  constructor(issues: z.core.$ZodIssue[]) {
    const flat = issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
    super(flat.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; '));
    this.name = 'RequestValidationError';
    this.issues = flat;
  }

  override details(): { issues: { path: string; message: string }[] } {
    return { issues: this.issues };
  }
}
