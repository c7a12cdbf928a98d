import type { TelemetrySample } from '../telemetry-sample.js';
import { estimateFuelRateLphFromMaf } from './maf-fuel-rate.js';

/** What a parser reads from one log row before timing, sequencing and derived values. */
export type ObdReading = Omit<TelemetrySample, 'ts' | 'seq' | 'odometerKm' | 'fuelRateLph' | 'fuelRateEstimated'>;

export interface ObdRow {
  /** The logger's engine run-time clock in seconds: the only trustworthy clock in these logs. */
  runTimeS: number;
  reading: ObdReading;
  /** Identity of the raw row (run time and every value), to recognise the logger's repeated rows. */
  key: string;
}

export interface ObdSeriesOptions {
  /** Wall-clock time of run time 0. */
  startTs: Date;
  /** Seq of the first sample; later samples count up by one. Default 1. */
  firstSeq?: number;
  /** Where the synthetic odometer starts. Default 0. */
  startOdometerKm?: number;
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/**
 * Turns parsed rows into samples: drops exact repeats, places rows on the time axis, numbers them,
 * and derives an odometer and (from MAF) a fuel rate.
 */
export function buildObdSeries(rows: readonly ObdRow[], options: ObdSeriesOptions): TelemetrySample[] {
  const unique = dropRepeatedRows(rows);
  const offsetsS = timeOffsets(unique.map((row) => row.runTimeS));
  const firstSeq = options.firstSeq ?? 1;
  const startMs = options.startTs.getTime();
  // These logs carry no odometer: integrate speed over time (trapezoids) into a synthetic one, so that
  // distance-based models have something monotonic to work with. It is an estimate, not a reading.
  let odometerKm = options.startOdometerKm ?? 0;
  let previous: { offsetS: number; speedKph: number | undefined } | undefined;

  return unique.map((row, index) => {
    const offsetS = offsetsS[index];
    const speedKph = row.reading.speedKph;
    if (previous?.speedKph !== undefined && speedKph !== undefined) {
      const hours = (offsetS - previous.offsetS) / 3600;
      odometerKm += ((previous.speedKph + speedKph) / 2) * hours;
    }
    if (speedKph !== undefined || !previous) previous = { offsetS, speedKph };
    const sample: TelemetrySample = {
      ts: new Date(startMs + Math.round(offsetS * 1000)),
      seq: firstSeq + index,
      odometerKm: round(odometerKm, 4),
      ...row.reading,
    };
    if (row.reading.mafGps !== undefined) {
      sample.fuelRateLph = round(estimateFuelRateLphFromMaf(row.reading.mafGps), 3);
      sample.fuelRateEstimated = true;
    }
    return sample;
  });
}

function dropRepeatedRows(rows: readonly ObdRow[]): ObdRow[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    if (seen.has(row.key)) return false;
    seen.add(row.key);
    return true;
  });
}

/**
 * Seconds since start for each row. The run-time clock ticks in whole seconds while the loggers write
 * several rows a second, so rows sharing a tick are spread evenly across it: time stays strictly
 * increasing and keeps its real resolution. A clock that jumps backwards (the engine restarted within
 * one file) continues one second after the last row instead of rewinding.
 */
function timeOffsets(runTimesS: readonly number[]): number[] {
  const offsets: number[] = [];
  let base = 0;
  let index = 0;
  let previousRunTime: number | undefined;
  while (index < runTimesS.length) {
    const runTime = runTimesS[index];
    if (previousRunTime !== undefined && runTime < previousRunTime) base += previousRunTime - runTime + 1;
    let end = index + 1;
    while (end < runTimesS.length && runTimesS[end] === runTime) end++;
    const count = end - index;
    for (let k = 0; k < count; k++) offsets.push(base + runTime + k / count);
    previousRunTime = runTime;
    index = end;
  }
  return offsets;
}
