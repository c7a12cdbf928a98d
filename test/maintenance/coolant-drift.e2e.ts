import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import type { PrismaClient } from '#app/database';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { createTenant, startApi, tokenFor } from '../api/api-test.fixtures.js';
import { IngestionProcess } from '../support/ingestion-process.js';
import { projectRoot } from '../support/project-root.js';
import { discardSession, waitFor } from '../support/telemetry-publisher.js';
import { testEnv } from '../support/test-env.js';

const run = promisify(execFile);
const VIN_ALPHABET = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';

interface HealthComponent {
  component: string;
  risk: string;
  explanation: string;
  evidence: Record<string, unknown>;
  dueAt: string | null;
  findings: { code: string; message: string }[];
}

/**
 * The whole path for one sick car: the simulator publishes 30 days of a coolant drift over MQTT (as a
 * device uploading its buffer), ingestion stores it, the worker scores it, and the API explains why.
 */
describe('a coolant drift published over MQTT', () => {
  const tag = randomUUID().slice(0, 8);
  const queuePrefix = `test-drift-${tag}`;
  let api: { app: INestApplication; prisma: PrismaClient };
  let worker: INestApplicationContext;
  let ingestion: IngestionProcess;

  beforeAll(async () => {
    process.env.QUEUE_PREFIX = queuePrefix;
    process.env.SCORING_DEBOUNCE_MS = '1000';
    process.env.SCORING_INTERVAL_MS = '1000';
    api = await startApi();
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error'] });
    await worker.init();
    ingestion = new IngestionProcess({
      DATABASE_URL: testEnv.databaseUrl,
      REDIS_URL: testEnv.redisUrl,
      MQTT_URL: testEnv.mqttUrl,
      MQTT_SHARE_GROUP: `test-${tag}`,
      INGEST_CLIENT_ID: `ingest-test-${tag}`,
      QUEUE_PREFIX: queuePrefix,
      SCORING_DEBOUNCE_MS: '1000',
      SCORING_INTERVAL_MS: '1000',
    });
    await ingestion.start();
  });

  afterAll(async () => {
    await ingestion.stop('SIGTERM');
    for (const index of [0, 1]) await discardSession(testEnv.mqttUrl, `ingest-test-${tag}-${index}`);
    await worker.close();
    await api.app.close();
  });

  it('becomes SOON or worse through the real pipeline, and the API says why', async () => {
    const { owner, vehicle } = await createTenant(api.prisma, 'drift');
    const vinPrefix = Array.from(randomBytes(6), (byte) => VIN_ALPHABET[byte % VIN_ALPHABET.length]).join('');
    const vin = `${vinPrefix}00000000001`;
    await api.prisma.vehicle.update({ where: { id: vehicle.id }, data: { vin } });

    const { stderr } = await run(
      process.execPath,
      [
        join(projectRoot, 'dist/apps/simulator/src/main.js'),
        ...['--vehicles', '1', '--vin-prefix', vinPrefix, '--url', testEnv.mqttUrl, '--seed', tag],
        ...['--interval', '10000', '--backfill-days', '30', '--backfill-only', '--batch', '100'],
        ...['--fault', '1:coolant-drift:8:0.6', '--quiet'],
      ],
      { env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 16 * 1024 * 1024 },
    );
    console.log(stderr.trim().split('\n').at(-1));

    const prediction = await waitFor(
      () => api.prisma.prediction.findUnique({ where: { vehicleId_component: { vehicleId: vehicle.id, component: 'ENGINE_COOLING' } } }),
      (p) => p !== null && ['SOON', 'URGENT', 'CRITICAL'].includes(p.risk),
      90_000,
      500,
    );
    expect(prediction?.risk).toMatch(/^(SOON|URGENT|CRITICAL)$/);

    const token = await tokenFor(api.app, owner.email);
    const response = await request(api.app.getHttpServer()).get(`/api/v1/vehicles/${vin}/health`).set('authorization', `Bearer ${token}`).expect(200);
    const cooling = (response.body as { components: HealthComponent[] }).components.find((c) => c.component === 'ENGINE_COOLING')!;
    console.log(`ENGINE_COOLING ${cooling.risk}: ${cooling.explanation}\n${cooling.findings.map((f) => `- ${f.code}: ${f.message}`).join('\n')}`);
    expect(cooling.risk).toMatch(/^(SOON|URGENT|CRITICAL)$/);
    // The explanation gives the numbers: the car's own normal temperature and where it is now.
    expect(cooling.explanation).toMatch(/\d+(\.\d)? ?C/);
    expect(cooling.findings.some((f) => f.code.includes('COOLANT'))).toBe(true);
    expect(JSON.stringify(cooling.evidence)).toMatch(/baseline/i);
  });
});
