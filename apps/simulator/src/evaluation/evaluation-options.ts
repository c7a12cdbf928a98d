import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { InvalidArgumentError } from '../cli/invalid-argument.error.js';

export interface EvaluationOptions {
  seed: number;
  vehicles: number;
  days: number;
  threads: number;
  /** Where the real OBD-II logs are; null skips them. */
  obdDir: string | null;
}

export const EVALUATION_USAGE = 'usage: eval:maintenance [--seed 1] [--vehicles 120] [--days 120] [--threads 2] [--obd-dir path | --no-real-logs]';

export function parseEvaluationOptions(argv: readonly string[], defaultObdDir: string): EvaluationOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      seed: { type: 'string', default: '1' },
      vehicles: { type: 'string', default: '120' },
      days: { type: 'string', default: '120' },
      threads: { type: 'string', default: String(Math.min(2, availableParallelism())) },
      'obd-dir': { type: 'string', default: defaultObdDir },
      'no-real-logs': { type: 'boolean', default: false },
    },
    strict: true,
  });
  return {
    seed: integer('seed', values.seed, 0),
    vehicles: integer('vehicles', values.vehicles, 1),
    // Faults need a baseline week and a failure line at least ~45 days in, with room for a forecast.
    days: integer('days', values.days, 30),
    threads: integer('threads', values.threads, 1),
    obdDir: values['no-real-logs'] ? null : values['obd-dir'],
  };
}

function integer(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new InvalidArgumentError(`--${name} must be an integer >= ${min}, got "${text}"`);
  return value;
}
