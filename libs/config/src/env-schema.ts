import { z } from 'zod';

// The building blocks of every section: value parsers, the types of a section's environment and rules, and
// the one parse that names every problem.

export const booleanFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1');

/** A value that may be left unset; empty counts as unset (a compose file passes `${VAR:-}`). */
export const optionalValue = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined));

export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** A path that may be left unset: the same rule (infra.sh exports nothing for an external broker). */
export const optionalPath = optionalValue;

export type Env<S extends z.ZodRawShape> = z.infer<z.ZodObject<S>>;
export type Rules<S extends z.ZodRawShape> = (env: Env<S>, context: z.RefinementCtx) => void;

/** Validates the variables of `shape` (and its cross-field rules) in one pass; every problem is named. */
export function parseEnvironment<S extends z.ZodRawShape>(shape: S, source: NodeJS.ProcessEnv, rules: Rules<S> = () => undefined): Env<S> {
  const parsed = z.object(shape).superRefine(rules).safeParse(source);
  if (!parsed.success) {
    throw new InvalidConfigurationError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  return parsed.data;
}

export class InvalidConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'InvalidConfigurationError';
  }
}
