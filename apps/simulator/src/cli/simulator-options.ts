import { parseArgs } from 'node:util';
import { FAULT_DEFAULT_RATES, FAULT_KINDS, type FaultKind, type FaultSpec } from '../vehicle/fault.model.js';
import { InvalidArgumentError } from './invalid-argument.error.js';

export interface FleetFault extends FaultSpec {
  /** Fleet index of the affected vehicle (1 = the first VIN). */
  vehicleIndex: number;
  /**
   * `--fault i:kind:@<epoch ms>`: the onset as a wall-clock time (the runner turns it into days after its epoch), for
   * a caller that must know to the millisecond when the fault begins (bench:fleet's punctures).
   */
  onsetAtMs?: number;
}

export interface SimulatorOptions {
  vehicles: number;
  intervalMs: number;
  /** Undefined: run until SIGINT/SIGTERM. */
  durationS: number | undefined;
  /** Global cap in messages per second; undefined: uncapped. */
  rate: number | undefined;
  url: string;
  vinPrefix: string;
  startIndex: number;
  batch: number;
  faults: FleetFault[];
  backfillDays: number;
  backfillOnly: boolean;
  /** Report interval while parked during backfill (a device sleeps between trips). */
  parkedIntervalMs: number;
  driveNow: boolean;
  replay: { file: string; vin: string; vehicleId: string | undefined; speedup: number } | undefined;
  seed: string;
  clients: number;
  /**
   * Device logins (`npm start` writes $CARHEALTH_STATE/demo-devices.json): each car connects to the device
   * listener as its own device, one connection per car, instead of `clients` connections to `url`.
   */
  devicesFile: string | undefined;
  /**
   * A clustered broker tier's MQTT listeners (`npm run cluster`: the NATS nodes): with --devices-file, car i logs in
   * on node i mod n first and moves to the next ones when its connection is lost, over MQTT 3.1.1 (all NATS's
   * listener speaks). Empty: the file's one listener, MQTT 5.
   */
  deviceNodes: { host: string; port: number }[];
  quiet: boolean;
}

export const USAGE = `usage: simulate [--vehicles N] [--interval ms] [--duration s] [--rate msgs/s] [--url mqtt://...]
                [--vin-prefix LCHDEM] [--start-index 1] [--batch k] [--fault index:kind[:onsetDays|@epochMs[:rate]]]...
                [--backfill-days D [--backfill-only] [--parked-interval ms]] [--drive-now]
                [--seed s] [--clients c | --devices-file demo-devices.json [--device-nodes host:port,...]] [--quiet]
       simulate --replay <csv> --vin <VIN> [--replay-vehicle control1] [--speedup x] [--url ...]
fault kinds: ${FAULT_KINDS.join(', ')}
--devices-file: each car logs in to the device listener as its own device (one connection per car);
                if that is not possible, the cars publish on --url instead (logged).
--device-nodes: the broker cluster's MQTT listeners, instead of the file's one: the cars are spread over them
                (car i on node i mod n, the others in turn when its node is lost), MQTT 3.1.1.`;

/** Parses the command line; `defaultUrl` comes from the validated configuration. */
export function parseSimulatorOptions(argv: readonly string[], defaultUrl: string): SimulatorOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        vehicles: { type: 'string', default: '5' },
        interval: { type: 'string', default: '1000' },
        duration: { type: 'string' },
        rate: { type: 'string' },
        url: { type: 'string', default: defaultUrl },
        'vin-prefix': { type: 'string', default: 'LCHDEM' },
        'start-index': { type: 'string', default: '1' },
        batch: { type: 'string', default: '1' },
        fault: { type: 'string', multiple: true, default: [] },
        'backfill-days': { type: 'string', default: '0' },
        'backfill-only': { type: 'boolean', default: false },
        'parked-interval': { type: 'string', default: '300000' },
        'drive-now': { type: 'boolean', default: false },
        replay: { type: 'string' },
        vin: { type: 'string' },
        'replay-vehicle': { type: 'string' },
        speedup: { type: 'string', default: '1' },
        seed: { type: 'string', default: '1' },
        clients: { type: 'string', default: '1' },
        'devices-file': { type: 'string' },
        'device-nodes': { type: 'string', default: '' },
        quiet: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  const v = parsed.values;
  const vehicles = positiveInt('--vehicles', v.vehicles);
  const startIndex = positiveInt('--start-index', v['start-index']);
  const faults = v.fault.map(parseFault);
  for (const fault of faults) {
    if (fault.vehicleIndex < startIndex || fault.vehicleIndex >= startIndex + vehicles) {
      throw new InvalidArgumentError(`--fault ${fault.vehicleIndex}:${fault.kind}: vehicle ${fault.vehicleIndex} is not in the fleet`);
    }
  }
  if (v.replay !== undefined && v.vin === undefined) throw new InvalidArgumentError('--replay needs --vin');
  return {
    vehicles,
    intervalMs: positiveInt('--interval', v.interval),
    durationS: v.duration === undefined ? undefined : nonNegative('--duration', v.duration),
    rate: v.rate === undefined ? undefined : positive('--rate', v.rate),
    url: v.url,
    vinPrefix: v['vin-prefix'],
    startIndex,
    batch: positiveInt('--batch', v.batch),
    faults,
    backfillDays: nonNegative('--backfill-days', v['backfill-days']),
    backfillOnly: v['backfill-only'],
    parkedIntervalMs: positiveInt('--parked-interval', v['parked-interval']),
    driveNow: v['drive-now'],
    replay:
      v.replay === undefined || v.vin === undefined
        ? undefined
        : { file: v.replay, vin: v.vin, vehicleId: v['replay-vehicle'], speedup: positive('--speedup', v.speedup) },
    seed: v.seed,
    clients: positiveInt('--clients', v.clients),
    devicesFile: v['devices-file'],
    deviceNodes: parseNodes(v['device-nodes']),
    quiet: v.quiet,
  };
}

function parseNodes(text: string): { host: string; port: number }[] {
  return text
    .split(',')
    .filter((entry) => entry.trim() !== '')
    .map((entry) => {
      const match = /^([^\s:/@]+):(\d{1,5})$/.exec(entry.trim());
      if (match === null) throw new InvalidArgumentError(`--device-nodes: "${entry}" is not host:port`);
      return { host: match[1], port: positiveInt('--device-nodes port', match[2]) };
    });
}

function parseFault(text: string): FleetFault {
  const [index, kind, onset, rate] = text.split(':');
  if (!FAULT_KINDS.includes(kind as FaultKind)) {
    throw new InvalidArgumentError(`--fault ${text}: kind must be one of ${FAULT_KINDS.join(', ')}`);
  }
  const at = onset !== undefined && onset.startsWith('@') ? positiveInt('--fault onset @epochMs', onset.slice(1)) : undefined;
  return {
    vehicleIndex: positiveInt('--fault vehicle index', index),
    kind: kind as FaultKind,
    ...(at !== undefined ? { onsetAtMs: at } : {}),
    onsetDays: at !== undefined || onset === undefined || onset === '' ? 0 : nonNegative('--fault onsetDays', onset),
    rate: rate === undefined ? FAULT_DEFAULT_RATES[kind as FaultKind] : positive('--fault rate', rate),
  };
}

function number(flag: string, text: string | undefined): number {
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError(`${flag}: not a number: ${text}`);
  return value;
}

function positive(flag: string, text: string | undefined): number {
  const value = number(flag, text);
  if (value <= 0) throw new InvalidArgumentError(`${flag} must be positive`);
  return value;
}

function nonNegative(flag: string, text: string | undefined): number {
  const value = number(flag, text);
  if (value < 0) throw new InvalidArgumentError(`${flag} must not be negative`);
  return value;
}

function positiveInt(flag: string, text: string | undefined): number {
  const value = positive(flag, text);
  if (!Number.isInteger(value)) throw new InvalidArgumentError(`${flag} must be a whole number`);
  return value;
}
