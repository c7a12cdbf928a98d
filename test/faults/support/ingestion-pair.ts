import { randomUUID } from 'node:crypto';
import { testEnv } from '../../support/test-env.js';

/** What these tests read of /health/ready. */
export interface Readiness {
  status: string;
  checks: { ingestion: { status: string; replicas: { state: string; detail?: string }[] } };
}

export async function readReadiness(port: number): Promise<Readiness> {
  return (await fetch(`http://127.0.0.1:${port}/health/ready`)).json() as Promise<Readiness>;
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
