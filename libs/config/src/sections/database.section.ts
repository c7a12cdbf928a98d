import { z } from 'zod';
import type { Env, Rules } from '../env-schema.js';
import { HOW_TO_MAKE_A_SECRET, KNOWN_DEFAULT_DATABASE_PASSWORDS, passwordOf } from '../secrets.js';
import type { coreShape } from './core.section.js';

export const databaseShape = {
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
};

export const databaseRules: Rules<typeof coreShape & typeof databaseShape> = (env, context) => {
  if (env.NODE_ENV !== 'production') return;
  const databasePassword = passwordOf(env.DATABASE_URL);
  if (databasePassword !== undefined && KNOWN_DEFAULT_DATABASE_PASSWORDS.has(databasePassword)) {
    context.addIssue({
      code: 'custom',
      path: ['DATABASE_URL'],
      message: `carries the shipped default password "${databasePassword}": give the database a password of its own (${HOW_TO_MAKE_A_SECRET})`,
    });
  }
};

export interface DatabaseConfig {
  readonly databaseUrl: string;
}

export const databaseOf = (e: Env<typeof databaseShape>): DatabaseConfig => ({ databaseUrl: e.DATABASE_URL });
