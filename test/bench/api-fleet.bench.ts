// npm run bench:api -- --fleet [--cars 10000 --baseline-cars 1000 --days 90 --requests 1500 --concurrency 32 --explain --reseed]
// The staff dashboard's reads at fleet size (issue 12 item 5): a service center of `cars` cars with `days` of
// prediction history (and, as the baseline in the same run and database, a center of `baseline-cars`), the
// real API in this process, `concurrency` clients in a worker thread. Per route p50/p95/p99 and requests/s;
// with --explain the plans (EXPLAIN ANALYZE) of each route's queries at the large center. Its own database
// (carhealth_bench_api), seeded once a day by bulk SQL and reused (--reseed to force). Last line: JSON.
import { randomUUID } from 'node:crypto';
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
  },
});
const days = Number(values.days);
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
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
const log = (line: string): void => {
  console.log(`[bench:api --fleet] ${line}`);
};

const base = loadApiConfig();
await applyMigrations(base.databaseUrl, join(projectRoot, 'prisma/migrations'));
const pool = new pg.Pool({ connectionString: base.databaseUrl, max: 2 });
if (values.reseed || !(await isSeeded(pool, fleets))) await seed(pool, fleets, await hashPassword(PASSWORD), log);
else log(`reusing the fleets seeded today (${fleets.map((f) => `${String(f.cars)} cars`).join(', ')}; --reseed to write them again)`);

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
  return [
    { name: 'attention', urls: [`${apiUrl}/dashboard/attention?risk=SOON&limit=100`] },
    { name: 'summary', urls: [`${apiUrl}/dashboard/summary`] },
    { name: 'health', urls: vins.map((vin) => `${apiUrl}/vehicles/${vin}/health`) },
    { name: 'history', urls: vins.map((vin) => `${apiUrl}/vehicles/${vin}/health/history`) },
  ];
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
}

const percentile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
const ms = (value: number): number => Number(value.toFixed(1));

async function measure(fleet: BenchFleet): Promise<Record<string, RouteFigures>> {
  const token = await tokenOf(fleet);
  const figures: Record<string, RouteFigures> = {};
  for (const route of routesOf(fleet)) {
    await load({ urls: route.urls, token, requests: Math.max(concurrency, Math.round(requests / 5)), concurrency }); // warm-up
    const result = await load({ urls: route.urls, token, requests, concurrency });
    const sorted = [...result.latenciesMs].sort((a, b) => a - b);
    figures[route.name] = {
      requestsPerSec: Math.round(sorted.length / result.seconds),
      p50Ms: ms(percentile(sorted, 0.5)),
      p95Ms: ms(percentile(sorted, 0.95)),
      p99Ms: ms(percentile(sorted, 0.99)),
      kbPerResponse: Number((result.bytes / sorted.length / 1024).toFixed(1)),
    };
    const f = figures[route.name];
    log(
      `${String(fleet.cars).padStart(6)} cars  ${route.name.padEnd(9)} ${String(f.requestsPerSec).padStart(5)} req/s  ` +
        `p50 ${String(f.p50Ms).padStart(6)} ms  p95 ${String(f.p95Ms).padStart(6)} ms  p99 ${String(f.p99Ms).padStart(6)} ms  ` +
        `${String(f.kbPerResponse)} KB/response${f.p95Ms < GOAL_P95_MS ? '' : `  (p95 over the ${String(GOAL_P95_MS)} ms goal)`}`,
    );
  }
  return figures;
}

// The worker rewrites every prediction at its cadence and autovacuum catches up after a fifth of the table
// (its default scale factor): a fifth rewritten since the last vacuum is the state reads usually meet, so
// an index-only plan is not measured on a table fresher than a live one.
await pool.query(`UPDATE predictions SET "dataThrough" = "dataThrough" WHERE abs(hashtext(id::text)) % 5 = 0`);
log(`${String(requests)} requests per route, ${String(concurrency)} at a time, after a warm-up of a fifth of that`);
const baselineFigures = await measure(baseline);
const largeFigures = await measure(large);

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
    baselineCars: baseline.cars,
    baselineP95Ms: p95(baselineFigures),
  }),
);
