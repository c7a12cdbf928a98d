import { randomUUID } from 'node:crypto';
import { createPrismaClient, type PrismaClient } from '#app/database';
import { type AppName, AppProcess } from '../../support/app-process.js';
import { ScratchBroker, type ScratchBrokerOptions } from '../../support/scratch-servers.js';
import { testEnv } from '../../support/test-env.js';

/** What these tests read of /health/ready. */
export interface Readiness {
  status: string;
  checks: { ingestion: { status: string; replicas: { state: string; detail?: string }[] } };
}

export async function readReadiness(port: number): Promise<Readiness> {
  return (await fetch(`http://127.0.0.1:${port}/health/ready`)).json() as Promise<Readiness>;
}

/** Ingestion as `npm start` runs it (one replica, plain subscription), on a broker of the test's own. */
export function ingestionEnv(broker: ScratchBroker, tag: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: testEnv.databaseUrl,
    REDIS_URL: testEnv.redisUrl,
    MQTT_URL: broker.url,
    MQTT_SHARE_GROUP: '',
    INGEST_CLIENT_ID: `ingest-fault-${tag}`,
    QUEUE_PREFIX: `test-fault-${tag}`,
    ...extra,
  };
}

/**
 * The environment of a real ingestion and API pair on a scratch broker: the test's database and Redis, a plain
 * subscription (a scratch broker has one ingestion), and a client id, queue prefix and port of the test's own.
 * `extra` adds or overrides settings (the status interval, the stall window).
 */
export function ingestionPairEnv(options: {
  brokerUrl: string;
  clientId: string;
  queuePrefix: string;
  port: number;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    DATABASE_URL: testEnv.databaseUrl,
    REDIS_URL: testEnv.redisUrl,
    MQTT_URL: options.brokerUrl,
    MQTT_SHARE_GROUP: '',
    INGEST_CLIENT_ID: options.clientId,
    QUEUE_PREFIX: options.queuePrefix,
    PORT: String(options.port),
    JWT_SECRET: randomUUID() + randomUUID(),
    ...options.extra,
  };
}

/**
 * A fault test's Prisma client, scratch broker and real app processes, registered with jest so that afterAll ends
 * them all (apps first, then the broker, then the client), also after a failed test. Call inside `describe`.
 */
export function useIngestionPair(): {
  readonly prisma: PrismaClient;
  startBroker(options: ScratchBrokerOptions): Promise<ScratchBroker>;
  app(name: AppName, env: Record<string, string>): AppProcess;
} {
  let prisma: PrismaClient | undefined;
  let broker: ScratchBroker | undefined;
  const apps: AppProcess[] = [];
  beforeAll(() => {
    prisma = createPrismaClient(testEnv.databaseUrl, 2);
  });
  afterAll(async () => {
    for (const app of apps) await app.stop('SIGTERM', 20_000);
    await broker?.destroy();
    await prisma?.$disconnect();
  });
  return {
    get prisma(): PrismaClient {
      if (prisma === undefined) throw new Error('useIngestionPair: prisma is ready from beforeAll on');
      return prisma;
    },
    async startBroker(options) {
      broker = await ScratchBroker.start(options);
      return broker;
    },
    app(name, env) {
      const app = new AppProcess(name, env);
      apps.push(app);
      return app;
    },
  };
}
