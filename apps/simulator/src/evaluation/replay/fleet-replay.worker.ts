import { parentPort, workerData } from 'node:worker_threads';
import type { ReplayJob, ReplayJobResult, ReplayWorkerData } from './fleet-replay.js';
import { replayVehicle } from './vehicle-replay.js';

// Worker thread of replayFleet: replays the vehicles it is sent, one at a time.
const data = workerData as ReplayWorkerData;
const epoch = new Date(data.epochMs);
parentPort?.on('message', (job: ReplayJob) => {
  const result: ReplayJobResult = { index: job.index, run: replayVehicle(job.plan, { seed: data.seed, epoch, days: data.days }) };
  parentPort?.postMessage(result);
});
