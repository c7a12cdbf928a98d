import { readFileSync } from 'node:fs';
import { detectObdLogFormat, parseCarObdCsv, parseCephasaxCsv, type TelemetrySample } from '#app/telemetry';
import { InvalidArgumentError } from '../cli/invalid-argument.error.js';
import { abortableSleep } from './abortable-sleep.js';
import type { SamplePublisher } from '../publish/sample-publisher.js';
import type { TokenBucket } from '../publish/token-bucket.js';

export interface ReplayOptions {
  file: string;
  vin: string;
  /** For multi-vehicle logs (cephasax): which VEHICLE_ID to replay; default the first. */
  vehicleId: string | undefined;
  speedup: number;
  batch: number;
}

export interface ReplayDependencies {
  publisher: SamplePublisher;
  bucket: TokenBucket | undefined;
  signal: AbortSignal;
  now?: () => number;
}

/** Reads a real OBD-II log (carOBD or cephasax) and returns the chosen vehicle's run-time-ordered series. */
export function loadReplaySeries(file: string, vehicleId: string | undefined): TelemetrySample[] {
  const content = readFileSync(file);
  const header = content.subarray(0, 4096).toString('latin1');
  // Placed at the epoch: replayReschedule moves the series onto the wall clock.
  const startTs = new Date(0);
  switch (detectObdLogFormat(header)) {
    case 'carobd':
      return parseCarObdCsv(content.toString('utf8'), { startTs });
    case 'cephasax': {
      const series = parseCephasaxCsv(content, { startTs });
      const id = vehicleId ?? [...series.keys()][0];
      const chosen = id === undefined ? undefined : series.get(id);
      if (!chosen) throw new InvalidArgumentError(`--replay-vehicle: no vehicle "${id}" in ${file} (has ${[...series.keys()].join(', ')})`);
      return chosen;
    }
    default:
      throw new InvalidArgumentError(`--replay: ${file} is neither a carOBD nor a cephasax log`);
  }
}

/**
 * Where and when each replayed sample goes. Sample i is published at launch + offset_i / speedup; its
 * ts keeps the log's real spacing, anchored so that no ts is ever later than its publish time (a
 * faster replay reads as a device uploading its buffer, never as a clock in the future). seq is the
 * publish time in ms, kept strictly increasing: a later replay of the same file never reuses a seq.
 */
export function replaySchedule(
  series: readonly TelemetrySample[],
  launchMs: number,
  speedup: number,
): { publishAtMs: number; sample: TelemetrySample }[] {
  if (series.length === 0) return [];
  const firstMs = series[0].ts.getTime();
  const spanMs = series[series.length - 1].ts.getTime() - firstMs;
  const anchorMs = launchMs - spanMs * (1 - 1 / speedup);
  let lastSeq = -Infinity;
  return series.map((sample) => {
    const offsetMs = sample.ts.getTime() - firstMs;
    const publishAtMs = launchMs + offsetMs / speedup;
    const seq = Math.max(Math.floor(publishAtMs), lastSeq + 1);
    lastSeq = seq;
    return { publishAtMs, sample: { ...sample, ts: new Date(Math.round(anchorMs + offsetMs)), seq } };
  });
}

export async function runReplay(options: ReplayOptions, deps: ReplayDependencies): Promise<void> {
  const now = deps.now ?? Date.now;
  const schedule = replaySchedule(loadReplaySeries(options.file, options.vehicleId), now(), options.speedup);
  let buffer: TelemetrySample[] = [];
  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return;
    const samples = buffer;
    buffer = [];
    await deps.bucket?.take();
    await deps.publisher.send(options.vin, samples);
  };
  for (const { publishAtMs, sample } of schedule) {
    const waitMs = publishAtMs - now();
    if (waitMs > 1) await abortableSleep(waitMs, deps.signal);
    if (deps.signal.aborted) break;
    buffer.push(sample);
    if (buffer.length >= options.batch) await flush();
  }
  await flush();
}
