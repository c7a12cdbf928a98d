// The load of `npm run bench:api -- --fleet`, in a worker thread: the clients get an event loop of their
// own, so what is timed is the API's work and not the load generator's queue (in the older rate-limiter
// bench client and server share one loop, which doubles the latencies seen).
import { parentPort, workerData } from 'node:worker_threads';

export interface LoadRequest {
  /** Absolute URLs, taken in turn (a VIN per request for the vehicle routes). */
  urls: string[];
  token: string;
  requests: number;
  concurrency: number;
}

export interface LoadResult {
  latenciesMs: number[];
  seconds: number;
  bytes: number;
}

async function run({ urls, token, requests, concurrency }: LoadRequest): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  const headers = { authorization: `Bearer ${token}` };
  let next = 0;
  let bytes = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const url = urls[next % urls.length] ?? '';
        next += 1;
        const t0 = performance.now();
        const response = await fetch(url, { headers });
        const body = await response.arrayBuffer();
        latenciesMs.push(performance.now() - t0);
        if (response.status !== 200) throw new Error(`GET ${url} answered ${String(response.status)}: ${Buffer.from(body).toString().slice(0, 300)}`);
        bytes += body.byteLength;
      }
    }),
  );
  return { latenciesMs, seconds: (performance.now() - started) / 1000, bytes };
}

if (parentPort === null) throw new Error('api-load.worker runs as a worker thread');
const port = parentPort;
port.postMessage(await run(workerData as LoadRequest));
