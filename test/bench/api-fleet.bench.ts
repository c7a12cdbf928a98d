// npm run bench:api -- --fleet [--cars 10000 --baseline-cars 1000 --days 90 --requests 1500 --concurrency 32 --explain --reseed
//                               --cost-requests 200 --cost-only --routes health,history --skip-baseline --cpu-profile DIR]
// The staff dashboard's reads at fleet size (issue 12 item 5): a service center of `cars` cars with `days` of
// prediction history (and, as the baseline in the same run and database, a center of `baseline-cars`), the
// real API in this process, `concurrency` clients in a worker thread. Per route p50/p95/p99 and requests/s;
// with --explain the plans (EXPLAIN ANALYZE) of each route's queries at the large center. Its own database
// (carhealth_bench_api), seeded once a day by bulk SQL and reused (--reseed to force). Last line: JSON.
// First, at the large center, each route's cost per request one at a time: the API thread's busy time (its
// event loop's active time), the process's CPU time and the bytes. These change little with the machine's load,
// so a loaded machine can still compare two versions of the code; --cost-only stops there.
// Under load, per route, the CPU per request of the machine, the API's thread, the rest of the bench process and
// Postgres (api-fleet.cpu.ts); --cpu-profile writes a CPU profile of the API's thread per route of the large center's
// measured load (DIR/<route>.cpuprofile, for Chrome's DevTools or any .cpuprofile reader). --routes measures only
// those routes, --skip-baseline only the large center (both to compare two builds in less time).
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { Test } from '@nestjs/testing';
import pg from 'pg';
import { hashPassword } from '#app/auth';
import { APP_CONFIG, type AppConfig, loadApiConfig } from '#app/config';
import { applyMigrations } from '#app/database';
import { AppModule } from '../../apps/api/src/app.module.js';
import { setUpApp } from '../../apps/api/src/app.setup.js';
import { projectRoot } from '../support/project-root.js';
import { CpuMeter, type CpuPerRequest } from './api-fleet.cpu.js';
import { type BenchFleet, centerIdOf, isSeeded, seed, vinOf } from './api-fleet.seed.js';
import type { LoadRequest, LoadResult } from './api-load.worker.js';

const { values } = parseArgs({
  options: {
    fleet: { type: 'boolean', default: true },
    cars: { type: 'string', default: '10000' },
    'baseline-cars': { type: 'string', default: '1000' },
    days: { type: 'string', default: '90' },
    requests: { type: 'string', default: '1500' },
    concurrency: { type: 'string', default: '32' },
    explain: { type: 'boolean', default: false },
    reseed: { type: 'boolean', default: false },
    'cost-requests': { type: 'string', default: '200' },
    'cost-only': { type: 'boolean', default: false },
    routes: { type: 'string', default: 'attention,summary,health,history' },
    'skip-baseline': { type: 'boolean', default: false },
    'cpu-profile': { type: 'string' },
  },
});
const routeNames = new Set(values.routes.split(','));
const profileDir = values['cpu-profile'];
const days = Number(values.days);
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
const costRequests = Number(values['cost-requests']);
const PASSWORD = 'bench-password-2026';
const GOAL_P95_MS = 50;

const fleetOf = (key: string, cars: number): BenchFleet => ({
  key,
  cars,
  days,
  serviceCenterId: centerIdOf(key),
  staffEmail: `bench-staff-${key.toLowerCase()}@bench.carhealth.local`,
});
const large = fleetOf('L', Number(values.cars));
const baseline = fleetOf('S', Number(values['baseline-cars']));
const fleets = [baseline, large];
if (profileDir !== undefined) await mkdir(profileDir, { recursive: true });
const log = (line: string): void => {
  console.log(`[bench:api --fleet] ${line}`);
};

const base = loadApiConfig();
await applyMigrations(base.databaseUrl, join(projectRoot, 'prisma/migrations'));
const pool = new pg.Pool({ connectionString: base.databaseUrl, max: 2 });
if (values.reseed || !(await isSeeded(pool, fleets))) await seed(pool, fleets, await hashPassword(PASSWORD), log);
else log(`reusing the fleets seeded today (${fleets.map((f) => `${String(f.cars)} cars`).join(', ')}; --reseed to write them again)`);

const cpuMeter = await CpuMeter.of(pool);

const config: AppConfig = {
  ...base,
  queuePrefix: `bench-api-${randomUUID().slice(0, 8)}`,
  // Far above the load: the limiter's own cost is what `npm run bench:api` (without --fleet) measures.
  rateLimit: { ...base.rateLimit, requestsPerMinute: 1_000_000_000 },
};
const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
  .overrideProvider(APP_CONFIG)
  .useValue(config)
  .compile();
const app = setUpApp(moduleRef.createNestApplication({ logger: ['error'] }));
await app.listen(0, '127.0.0.1');
const apiUrl = `http://127.0.0.1:${String((app.getHttpServer() as { address(): AddressInfo }).address().port)}/api/v1`;

async function tokenOf(fleet: BenchFleet): Promise<string> {
  const response = await fetch(`${apiUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: fleet.staffEmail, password: PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`login of ${fleet.staffEmail}: ${String(response.status)}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** The dashboard's own requests (apps/api/public/app.js) and the history API's default page. */
function routesOf(fleet: BenchFleet): { name: string; urls: string[] }[] {
  // A different car per request, spread over the whole center (each one's history is elsewhere on disk).
  const vins = Array.from({ length: Math.min(fleet.cars, 997) }, (_, i) => vinOf(fleet.key, 1 + ((i * 7919) % fleet.cars)));
  const routes = [
    { name: 'attention', urls: [`${apiUrl}/dashboard/attention?risk=SOON&limit=100`] },
    { name: 'summary', urls: [`${apiUrl}/dashboard/summary`] },
    { name: 'health', urls: vins.map((vin) => `${apiUrl}/vehicles/${vin}/health`) },
    { name: 'history', urls: vins.map((vin) => `${apiUrl}/vehicles/${vin}/health/history`) },
  ];
  return routes.filter((route) => routeNames.has(route.name));
}

async function load(request: LoadRequest): Promise<LoadResult> {
  const worker = new Worker(new URL('./api-load.worker.js', import.meta.url), { workerData: request });
  return new Promise<LoadResult>((resolve, reject) => {
    worker.once('message', (result: LoadResult) => {
      resolve(result);
    });
    worker.once('error', reject);
  }).finally(() => worker.terminate());
}

interface RouteFigures {
  requestsPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  kbPerResponse: number;
  cpuMsPerRequest: CpuPerRequest;
}

const percentile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
const ms = (value: number): number => Number(value.toFixed(1));

/** The API thread's CPU profile over `work` (the inspector samples this thread from one of its own). */
async function profiled<T>(file: string | undefined, work: () => Promise<T>): Promise<T> {
  if (file === undefined) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
    log(`CPU profile of the API thread: ${file}`);
  }
}

async function measure(fleet: BenchFleet, profile: boolean): Promise<Record<string, RouteFigures>> {
  const token = await tokenOf(fleet);
  const figures: Record<string, RouteFigures> = {};
  for (const route of routesOf(fleet)) {
    await load({ urls: route.urls, token, requests: Math.max(concurrency, Math.round(requests / 5)), concurrency }); // warm-up
    const file = profile && profileDir !== undefined ? join(profileDir, `${route.name}.cpuprofile`) : undefined;
    const cpuBefore = await cpuMeter.snapshot();
    const result = await profiled(file, () => load({ urls: route.urls, token, requests, concurrency }));
    const cpu = await cpuMeter.perRequest(cpuBefore, result.latenciesMs.length);
    const sorted = [...result.latenciesMs].sort((a, b) => a - b);
    figures[route.name] = {
      requestsPerSec: Math.round(sorted.length / result.seconds),
      p50Ms: ms(percentile(sorted, 0.5)),
      p95Ms: ms(percentile(sorted, 0.95)),
      p99Ms: ms(percentile(sorted, 0.99)),
      kbPerResponse: Number((result.bytes / sorted.length / 1024).toFixed(1)),
      cpuMsPerRequest: cpu,
    };
    const f = figures[route.name];
    log(
      `${String(fleet.cars).padStart(6)} cars  ${route.name.padEnd(9)} ${String(f.requestsPerSec).padStart(5)} req/s  ` +
        `p50 ${String(f.p50Ms).padStart(6)} ms  p95 ${String(f.p95Ms).padStart(6)} ms  p99 ${String(f.p99Ms).padStart(6)} ms  ` +
        `${String(f.kbPerResponse)} KB/response${f.p95Ms < GOAL_P95_MS ? '' : `  (p95 over the ${String(GOAL_P95_MS)} ms goal)`}\n` +
        `${' '.repeat(22)}CPU ms/request: machine ${String(cpu.machineMs)}, API thread ${String(cpu.apiThreadMs)}, rest of the bench ` +
        `${String(cpu.restOfBenchMs)}, Postgres ${String(cpu.postgresMs)} (the whole server ${String(cpu.postgresServerMs)}); load average ${cpu.load.join(' ')}`,
    );
  }
  return figures;
}

interface RouteCost {
  /** Median latency one request at a time. */
  p50Ms: number;
  /** The API thread's event loop busy time per request (what limits a replica's requests/s). */
  apiThreadMs: number;
  /** The process's CPU time per request (the API thread, Prisma's and pg's work, the client's worker thread). */
  cpuMs: number;
  kbPerResponse: number;
}

/** Each route one request at a time: what a request costs the API, apart from waiting behind the others. */
async function measureCost(fleet: BenchFleet): Promise<Record<string, RouteCost>> {
  const token = await tokenOf(fleet);
  const costs: Record<string, RouteCost> = {};
  for (const route of routesOf(fleet)) {
    await load({ urls: route.urls, token, requests: Math.max(10, Math.round(costRequests / 5)), concurrency: 1 }); // warm-up
    const loop = performance.eventLoopUtilization();
    const cpu = process.cpuUsage();
    const result = await load({ urls: route.urls, token, requests: costRequests, concurrency: 1 });
    const active = performance.eventLoopUtilization(loop).active;
    const used = process.cpuUsage(cpu);
    const n = result.latenciesMs.length;
    costs[route.name] = {
      p50Ms: ms(
        percentile(
          [...result.latenciesMs].sort((a, b) => a - b),
          0.5,
        ),
      ),
      apiThreadMs: Number((active / n).toFixed(2)),
      cpuMs: Number(((used.user + used.system) / 1000 / n).toFixed(2)),
      kbPerResponse: Number((result.bytes / n / 1024).toFixed(1)),
    };
    const c = costs[route.name];
    log(
      `${String(fleet.cars).padStart(6)} cars  ${route.name.padEnd(9)} one at a time: p50 ${String(c.p50Ms).padStart(6)} ms  ` +
        `API thread ${String(c.apiThreadMs).padStart(6)} ms/request  CPU ${String(c.cpuMs).padStart(6)} ms/request  ${String(c.kbPerResponse)} KB/response`,
    );
  }
  return costs;
}

// The worker rewrites every prediction at its cadence and autovacuum catches up after a fifth of the table
// (its default scale factor): a fifth rewritten since the last vacuum is the state reads usually meet, so
// an index-only plan is not measured on a table fresher than a live one.
await pool.query(`UPDATE predictions SET "dataThrough" = "dataThrough" WHERE abs(hashtext(id::text)) % 5 = 0`);
// The vehicles too: every score rewrites its car's row (markScored), and so does every telemetry batch.
await pool.query(`UPDATE vehicles SET "lastScoredAt" = "lastScoredAt" WHERE abs(hashtext(id::text)) % 5 = 0`);
log(`${String(costRequests)} requests per route one at a time at ${String(large.cars)} cars, after a warm-up of a fifth of that`);
const costs = await measureCost(large);
if (values['cost-only']) {
  await app.close();
  await pool.end();
  console.log(JSON.stringify({ cars: large.cars, days, costPerRequest: costs }));
  process.exit(0);
}
log(`${String(requests)} requests per route, ${String(concurrency)} at a time, after a warm-up of a fifth of that`);
const baselineFigures = values['skip-baseline'] ? {} : await measure(baseline, false);
const largeFigures = await measure(large, true);

if (values.explain) {
  const { explainRoutes } = await import('./api-fleet.explain.js');
  for (const { name, plan } of await explainRoutes(pool, large)) log(`plan of ${name}:\n${plan}`);
}

await app.close();
await pool.end();
const p95 = (figures: Record<string, RouteFigures>): Record<string, number> =>
  Object.fromEntries(Object.entries(figures).map(([name, f]) => [name, f.p95Ms]));
console.log(
  JSON.stringify({
    cars: large.cars,
    days,
    concurrency,
    p95Ms: p95(largeFigures),
    requestsPerSec: Object.fromEntries(Object.entries(largeFigures).map(([name, f]) => [name, f.requestsPerSec])),
    cpuMsPerRequest: Object.fromEntries(Object.entries(largeFigures).map(([name, f]) => [name, f.cpuMsPerRequest])),
    baselineCars: baseline.cars,
    baselineP95Ms: p95(baselineFigures),
    costPerRequest: costs,
  }),
);
