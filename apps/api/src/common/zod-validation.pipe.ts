import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { RequestValidationError } from './request-validation.error.js';

/** Validates (and coerces) a body, query or param with a zod schema: `@Body(new ZodValidationPipe(schema))`. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown, metadata?: ArgumentMetadata): z.output<S> {
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    // A single named value (`@Param('vin', pipe)`) is validated on its own, so its issues have an empty
    // path: prefix the name, so the client is told which field was refused.
    const name = metadata?.data;
    const issues = name === undefined ? parsed.error.issues : parsed.error.issues.map((issue) => ({ ...issue, path: [name, ...issue.path] }));
    throw new RequestValidationError(issues);
  }
}
