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
  /**
   * Replay only these of the planned vehicles (a car found in a whole run, replayed alone in minutes rather
   * than the whole seed again); absent: all. The plan is still drawn for `vehicles`, so the cars are the same.
   */
  vins?: readonly string[];
}

export const EVALUATION_USAGE =
  'usage: eval:maintenance [--seed 1] [--vehicles 120] [--days 120] [--threads 2] [--obd-dir path | --no-real-logs] [--vins VIN,VIN]';

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
      vins: { type: 'string' },
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
    ...(values.vins === undefined ? {} : { vins: vinList(values.vins) }),
  };
}

function vinList(text: string): string[] {
  const vins = text.split(',').map((v) => v.trim());
  if (vins.some((v) => v === '')) throw new InvalidArgumentError(`--vins must be VINs separated by commas, got "${text}"`);
  return vins;
}

/** The planned vehicles named by --vins, in plan order; every name must be one of them. */
export function selectVehicles<T extends { vin: string }>(plans: readonly T[], vins: readonly string[] | undefined): readonly T[] {
  if (vins === undefined) return plans;
  const unknown = vins.filter((vin) => !plans.some((p) => p.vin === vin));
  if (unknown.length > 0) throw new InvalidArgumentError(`--vins: ${unknown.join(', ')} not among the ${plans.length} planned vehicles`);
  return plans.filter((p) => vins.includes(p.vin));
}

function integer(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new InvalidArgumentError(`--${name} must be an integer >= ${min}, got "${text}"`);
  return value;
}
