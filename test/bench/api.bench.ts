// npm run bench:api [-- --requests 4000 --concurrency 16]
// The API's request path with the Redis-backed rate limiter (one atomic script per request) against the
// same API without it, in the same run and process, alternating rounds so machine load hits both alike.
// Each request is a staff member's GET /api/v1/vehicles/{vin} (JWT check, tenant-scoped Postgres read).
// The limit is set far above the load: what is measured is the cost of counting. Last line: JSON.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { hashPassword } from '#app/auth';
import { APP_CONFIG, type AppConfig, loadApiConfig } from '#app/config';
import { applyMigrations, PrismaService } from '#app/database';
import { AppModule } from '../../apps/api/src/app.module.js';
import { setUpApp } from '../../apps/api/src/app.setup.js';
import { RequestRateLimiter } from '../../apps/api/src/rate-limit/request-rate-limiter.service.js';
import { projectRoot } from '../support/project-root.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '4000' },
    concurrency: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '4' },
    'baseline-first': { type: 'boolean', default: false },
  },
});
const requestsPerRound = Number(values.requests);
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const PASSWORD = 'bench-password-2026';

const percentile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

const base = loadApiConfig();
await applyMigrations(base.databaseUrl, join(projectRoot, 'prisma/migrations'));
const config: AppConfig = {
  ...base,
  queuePrefix: `bench-api-${randomUUID().slice(0, 8)}`,
  rateLimit: { ...base.rateLimit, requestsPerMinute: 1_000_000_000 },
};

async function start(withLimiter: boolean): Promise<{ app: INestApplication; url: string }> {
  let builder = Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config);
  // Without the limiter: hit() answers "not counted", the path the guard takes when Redis is away.
  if (!withLimiter) builder = builder.overrideProvider(RequestRateLimiter).useValue({ hit: async () => null });
  const app = setUpApp((await builder.compile()).createNestApplication({ logger: ['error'] }));
  await app.listen(0, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
}

// Started in the order given by --baseline-first, to check that the order itself does not decide the result.
const baselineFirst = values['baseline-first'];
const first = await start(!baselineFirst);
const second = await start(baselineFirst);
const [limited, baseline] = baselineFirst ? [second, first] : [first, second];
const prisma = limited.app.get(PrismaService);

const tag = randomUUID().slice(0, 8);
const center = await prisma.serviceCenter.create({ data: { name: `Bench center ${tag}` } });
const email = `bench-staff-${tag}@bench.carhealth.local`;
await prisma.user.create({
  data: { email, passwordHash: await hashPassword(PASSWORD), role: 'STAFF', name: 'Bench staff', serviceCenterId: center.id },
});
const owner = await prisma.user.create({
  data: { email: `bench-owner-${tag}@bench.carhealth.local`, passwordHash: 'unused', role: 'OWNER', name: 'Bench owner' },
});
// 17 characters, hex digits only after the prefix: a valid VIN (no I, O or Q).
const vin = `LBENCH${tag.toUpperCase()}000`;
await prisma.vehicle.create({ data: { vin, make: 'Toyota', model: 'Corolla', year: 2021, serviceCenterId: center.id, ownerId: owner.id } });

const login = await fetch(`${limited.url}/api/v1/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email, password: PASSWORD }),
});
const { accessToken } = (await login.json()) as { accessToken: string };
const headers = { authorization: `Bearer ${accessToken}` };

async function round(url: string): Promise<{ latencies: number[]; seconds: number; limitedHeaders: number }> {
  const latencies: number[] = [];
  let next = 0;
  let limitedHeaders = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requestsPerRound) {
        next += 1;
        const t0 = performance.now();
        const response = await fetch(`${url}/api/v1/vehicles/${vin}`, { headers });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`GET answered ${response.status}`);
        if (response.headers.has('ratelimit-remaining')) limitedHeaders += 1;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000, limitedHeaders };
}

const results = { limiter: { latencies: [] as number[], seconds: 0, counted: 0 }, baseline: { latencies: [] as number[], seconds: 0, counted: 0 } };
await round(limited.url); // warm-up: JIT, connection pools
await round(baseline.url);
for (let i = 0; i < rounds; i++) {
  for (const [name, target] of i % 2 === 0
    ? ([
        ['limiter', limited],
        ['baseline', baseline],
      ] as const)
    : ([
        ['baseline', baseline],
        ['limiter', limited],
      ] as const)) {
    const r = await round(target.url);
    results[name].latencies.push(...r.latencies);
    results[name].seconds += r.seconds;
    results[name].counted += r.limitedHeaders;
  }
}

const summary = (name: 'limiter' | 'baseline') => {
  const sorted = [...results[name].latencies].sort((a, b) => a - b);
  return {
    requestsPerSec: Math.round(sorted.length / results[name].seconds),
    p50Ms: Number(percentile(sorted, 0.5).toFixed(2)),
    p99Ms: Number(percentile(sorted, 0.99).toFixed(2)),
    counted: results[name].counted,
  };
};
const withLimiter = summary('limiter');
const without = summary('baseline');
console.log(`api bench: ${rounds} rounds x ${requestsPerRound} GET /vehicles/{vin}, ${concurrency} at a time, rounds alternated`);
console.log(`with the rate limiter:    ${JSON.stringify(withLimiter)}`);
console.log(`baseline (no limiter):    ${JSON.stringify(without)}`);
console.log(
  `limiter cost: ${(withLimiter.p50Ms - without.p50Ms).toFixed(2)} ms at p50, throughput ${(withLimiter.requestsPerSec / without.requestsPerSec).toFixed(2)} of the baseline`,
);

await prisma.vehicle.deleteMany({ where: { vin } });
await prisma.user.deleteMany({ where: { id: { in: [owner.id] } } });
await prisma.user.deleteMany({ where: { email } });
await prisma.serviceCenter.delete({ where: { id: center.id } });
await limited.app.close();
await baseline.app.close();
console.log(
  JSON.stringify({
    requestsPerSec: withLimiter.requestsPerSec,
    p50Ms: withLimiter.p50Ms,
    p99Ms: withLimiter.p99Ms,
    baselineRequestsPerSec: without.requestsPerSec,
    baselineP50Ms: without.p50Ms,
    baselineP99Ms: without.p99Ms,
  }),
);
