import type { Env } from '../env-schema.js';
import { z } from 'zod';

export const coreShape = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
};

export type Environment = Env<typeof coreShape>;

export interface CoreConfig {
  readonly env: Environment['NODE_ENV'];
  readonly logLevel: Environment['LOG_LEVEL'];
}

export const coreOf = (e: Env<typeof coreShape>): CoreConfig => ({ env: e.NODE_ENV, logLevel: e.LOG_LEVEL });
