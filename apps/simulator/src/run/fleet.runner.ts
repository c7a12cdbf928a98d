import type { TelemetrySample } from '#app/telemetry';
import type { FleetFault } from '../cli/simulator-options.js';
import { fleetVin } from '../cli/vin.js';
import { abortableSleep } from './abortable-sleep.js';
import type { SamplePublisher } from '../publish/sample-publisher.js';
import type { TokenBucket } from '../publish/token-bucket.js';
import { VehicleSimulation } from '../vehicle/vehicle-simulation.js';

export interface FleetRunOptions {
  vehicles: number;
  startIndex: number;
  vinPrefix: string;
  seed: string;
  intervalMs: number;
  batch: number;
  faults: readonly FleetFault[];
  backfillDays: number;
  backfillOnly: boolean;
  parkedIntervalMs: number;
  driveNow: boolean;
  /** Live phase length; undefined runs until `signal` aborts. */
  durationS: number | undefined;
}

export interface FleetRunDependencies {
  publisher: SamplePublisher;
  bucket: TokenBucket | undefined;
  signal: AbortSignal;
  /** Wall clock in epoch ms. */
  now?: () => number;
  onPhase?: (phase: string) => void;
}

interface FleetVehicle {
  vin: string;
  sim: VehicleSimulation;
  nextMs: number;
  buffer: TelemetrySample[];
}

const DAY_MS = 86_400_000;

/**
 * Runs the virtual fleet: optional backfill (simulated time from D days ago up to now, as fast as the
 * rate cap allows, the way an offline device uploads its buffer), then live reporting every interval
 * until the duration ends or the signal aborts. Both phases drive the same VehicleSimulation, which is
 * told the time, so history and live data join seamlessly.
 */
export async function runFleet(options: FleetRunOptions, deps: FleetRunDependencies): Promise<void> {
  const now = deps.now ?? Date.now;
  const startMs = now();
  const epochMs = startMs - options.backfillDays * DAY_MS;
  const fleet: FleetVehicle[] = Array.from({ length: options.vehicles }, (_, i) => {
    const index = options.startIndex + i;
    const vin = fleetVin(options.vinPrefix, index);
    const sim = new VehicleSimulation({
      vin,
      seed: options.seed,
      epoch: new Date(epochMs),
      faults: options.faults
        .filter((fault) => fault.vehicleIndex === index)
        .map((fault) => (fault.onsetAtMs === undefined ? fault : { ...fault, onsetDays: (fault.onsetAtMs - epochMs) / DAY_MS })),
      driveAtStart: options.driveNow && options.backfillDays === 0,
    });
    return { vin, sim, nextMs: epochMs, buffer: [] };
  });

  const emit = async (vehicle: FleetVehicle, atMs: number): Promise<void> => {
    vehicle.buffer.push(vehicle.sim.sampleAt(new Date(atMs)));
    if (vehicle.buffer.length >= options.batch) await flush(vehicle);
  };
  const flush = async (vehicle: FleetVehicle): Promise<void> => {
    if (vehicle.buffer.length === 0) return;
    const samples = vehicle.buffer;
    vehicle.buffer = [];
    await deps.bucket?.take();
    await deps.publisher.send(vehicle.vin, samples);
  };

  if (options.backfillDays > 0) {
    await backfill(fleet, options, deps, startMs, emit);
    if (options.backfillOnly || deps.signal.aborted) {
      for (const vehicle of fleet) await flush(vehicle);
      return;
    }
  }

  deps.onPhase?.('live');
  const liveStartMs = fleet.reduce((latest, v) => Math.max(latest, v.sim.currentTimeMs + 1), now());
  const endMs = options.durationS === undefined ? Infinity : liveStartMs + options.durationS * 1000;
  // Stagger the vehicles across the interval so a fleet does not publish in one burst per tick.
  fleet.forEach((vehicle, i) => {
    const grid = Math.ceil(liveStartMs / options.intervalMs) * options.intervalMs;
    vehicle.nextMs = grid + Math.floor((i * options.intervalMs) / fleet.length);
  });
  let turn = 0;
  while (!deps.signal.aborted) {
    const vehicle = fleet[turn];
    if (vehicle.nextMs >= endMs) break;
    const waitMs = vehicle.nextMs - now();
    if (waitMs > 1) await abortableSleep(waitMs, deps.signal);
    if (deps.signal.aborted) break;
    await emit(vehicle, vehicle.nextMs);
    vehicle.nextMs += options.intervalMs;
    turn = (turn + 1) % fleet.length;
  }
  for (const vehicle of fleet) await flush(vehicle);
}

async function backfill(
  fleet: FleetVehicle[],
  options: FleetRunOptions,
  deps: FleetRunDependencies,
  untilMs: number,
  emit: (vehicle: FleetVehicle, atMs: number) => Promise<void>,
): Promise<void> {
  const spanMs = untilMs - fleet[0].nextMs;
  let active = fleet.filter((vehicle) => vehicle.nextMs < untilMs);
  let lastPhase = '';
  // Round-robin over the vehicles, one sample each per turn, as many devices uploading at once would.
  while (active.length > 0 && !deps.signal.aborted) {
    for (const vehicle of active) {
      await emit(vehicle, vehicle.nextMs);
      vehicle.nextMs = vehicle.sim.nextReportTime(vehicle.nextMs, options.intervalMs, options.parkedIntervalMs);
      if (deps.signal.aborted) return;
    }
    active = active.filter((vehicle) => vehicle.nextMs < untilMs);
    const done = fleet.reduce((earliest, v) => Math.min(earliest, v.nextMs), Infinity);
    const phase = `backfill ${Math.floor(Math.min(1, (done - (untilMs - spanMs)) / spanMs) * 100)}%`;
    if (phase !== lastPhase) deps.onPhase?.((lastPhase = phase));
  }
}
