import type { TelemetrySample } from '#app/telemetry';
import type { FaultKind, FaultSpec } from './fault.model.js';
import { FAULT_DEFAULT_RATES } from './fault.model.js';
import { VehicleSimulation, type VehicleSimulationOptions } from './vehicle-simulation.js';

export const EPOCH = new Date('2026-09-01T00:00:00.000Z');
export const DAY_MS = 86_400_000;

export function fault(kind: FaultKind, overrides: Partial<FaultSpec> = {}): FaultSpec {
  return { kind, onsetDays: 0, rate: FAULT_DEFAULT_RATES[kind], ...overrides };
}

export function vehicle(overrides: Partial<VehicleSimulationOptions> = {}): VehicleSimulation {
  return new VehicleSimulation({ vin: 'LCHDEM00000000001', seed: 7, epoch: EPOCH, ...overrides });
}

/** What the device would upload over `days`: every `intervalMs` while driving, every 5 minutes parked. */
export function history(sut: VehicleSimulation, days: number, intervalMs = 1000): TelemetrySample[] {
  const samples: TelemetrySample[] = [];
  const endMs = EPOCH.getTime() + days * DAY_MS;
  for (let t = EPOCH.getTime(); t < endMs; t = sut.nextReportTime(t, intervalMs, 5 * 60_000)) samples.push(sut.sampleAt(new Date(t)));
  return samples;
}

/** Runs of consecutive engine-running samples. */
export function drives(samples: readonly TelemetrySample[]): TelemetrySample[][] {
  const result: TelemetrySample[][] = [];
  let current: TelemetrySample[] = [];
  for (const sample of samples) {
    if (sample.rpm! > 0) current.push(sample);
    else if (current.length > 0) {
      result.push(current);
      current = [];
    }
  }
  if (current.length > 0) result.push(current);
  return result;
}

export const minutesInto = (drive: readonly TelemetrySample[], sample: TelemetrySample): number =>
  (sample.ts.getTime() - drive[0].ts.getTime()) / 60_000;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 0 ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle];
}
