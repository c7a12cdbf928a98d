// The load of `npm run bench:api -- --fleet`, in a worker thread: the clients get an event loop of their
// own, so what is timed is the API's work and not the load generator's queue (in the older rate-limiter
// bench client and server share one loop, which doubles the latencies seen).
// node:http with a keep-alive agent rather than fetch: the load generator runs on the same 2 cores as the API and
// Postgres, and fetch (undici's WHATWG streams and headers) cost ~1.1-1.3 ms of CPU per request here, as much as the
// API's own thread; what the bench is to show is the API's time, so the client is kept as cheap as Node allows.
import { Agent, get } from 'node:http';
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

interface Answer {
  status: number;
  body: Buffer;
}

/** One GET on one of the agent's kept-alive sockets, its whole body read. */
function getBody(url: string, agent: Agent, headers: Record<string, string>): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    get(url, { agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) });
      });
      response.on('error', reject);
    }).on('error', reject);
  });
}

async function run({ urls, token, requests, concurrency }: LoadRequest): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  const headers = { authorization: `Bearer ${token}` };
  // One socket per client, kept for the whole load (as fetch's pool did).
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  let bytes = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const url = urls[next % urls.length] ?? '';
        next += 1;
        const t0 = performance.now();
        const { status, body } = await getBody(url, agent, headers);
        latenciesMs.push(performance.now() - t0);
        if (status !== 200) throw new Error(`GET ${url} answered ${String(status)}: ${body.toString().slice(0, 300)}`);
        bytes += body.byteLength;
      }
    }),
  );
  agent.destroy();
  return { latenciesMs, seconds: (performance.now() - started) / 1000, bytes };
}

if (parentPort === null) throw new Error('api-load.worker runs as a worker thread');
const port = parentPort;
port.postMessage(await run(workerData as LoadRequest));
