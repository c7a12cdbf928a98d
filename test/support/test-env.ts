// Tests read the environment that scripts/test.sh prepared (real Postgres, Redis and broker).
export { projectRoot } from './project-root.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with \`npm test\` (scripts/test.sh sets up the services)`);
  return value;
}

export const testEnv = {
  databaseUrl: required('DATABASE_URL'),
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6380/1',
  mqttUrl: process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883',
  queuePrefix: process.env.QUEUE_PREFIX ?? 'carhealth-test',
};

/** The same server, another database: for tests that need a scratch database of their own. */
export function databaseUrlFor(name: string): string {
  const url = new URL(testEnv.databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
