import { Worker } from 'node:worker_threads';
import type { VehiclePlan } from '../fleet/fleet-plan.js';
import { replayVehicle, type VehicleRun } from './vehicle-replay.js';

export interface FleetReplayOptions {
  seed: number | string;
  epoch: Date;
  days: number;
  /** 1 replays in this thread; more spreads vehicles over worker threads (results stay in plan order). */
  threads: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ReplayJob {
  index: number;
  plan: VehiclePlan;
}

export interface ReplayJobResult {
  index: number;
  run: VehicleRun;
}

export interface ReplayWorkerData {
  seed: number | string;
  epochMs: number;
  days: number;
}

/** Replays every planned vehicle. Each vehicle is independent and seeded, so threads do not change results. */
export async function replayFleet(plans: readonly VehiclePlan[], options: FleetReplayOptions): Promise<VehicleRun[]> {
  if (options.threads <= 1) {
    return plans.map((plan, index) => {
      const run = replayVehicle(plan, options);
      options.onProgress?.(index + 1, plans.length);
      return run;
    });
  }
  const runs = new Array<VehicleRun>(plans.length);
  let next = 0;
  let done = 0;
  const workerData: ReplayWorkerData = { seed: options.seed, epochMs: options.epoch.getTime(), days: options.days };
  const workers = Array.from(
    { length: Math.min(options.threads, plans.length) },
    () => new Worker(new URL('./fleet-replay.worker.js', import.meta.url), { workerData }),
  );
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            // One vehicle at a time per worker: taxis take several times longer than low-mileage cars.
            const feed = () => {
              if (next >= plans.length) {
                resolve();
                return;
              }
              const job: ReplayJob = { index: next, plan: plans[next] };
              next++;
              worker.postMessage(job);
            };
            worker.on('message', (result: ReplayJobResult) => {
              runs[result.index] = result.run;
              options.onProgress?.(++done, plans.length);
              feed();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`replay worker exited with code ${code}`))));
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return runs;
}
