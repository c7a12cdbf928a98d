import { parseEnvironment } from './env-schema.js';
import { type BrokerAuthConfig, brokerAuthOf, brokerAuthRules, brokerAuthShape } from './sections/broker-auth.section.js';
import { type CoreConfig, coreOf, coreShape } from './sections/core.section.js';
import { type DatabaseConfig, databaseOf, databaseRules, databaseShape } from './sections/database.section.js';
import { authRules, authShape, type HttpConfig, httpOf, httpShape } from './sections/http.section.js';
import { type IngestionSettings, ingestionOf, ingestionRules, ingestionShape } from './sections/ingestion.section.js';
import { type MqttConfig, mqttOf, mqttShape } from './sections/mqtt.section.js';
import { type NotificationsConfig, notificationsOf, notificationsRules, notificationsShape } from './sections/notifications.section.js';
import { type RedisConfig, redisOf, redisRules, redisShape } from './sections/redis.section.js';
import { type QueueWorkerConfig, queueWorkerOf, queueWorkerShape } from './sections/queue-worker.section.js';
import { type RetentionConfig, retentionOf, retentionShape } from './sections/retention.section.js';
import { type ScoringConfig, scoringOf, scoringShape } from './sections/scoring.section.js';

// The environment, in sections (./sections: each with its variables, rules, config type and mapping): each app
// validates the sections it uses, so the simulator needs no DATABASE_URL and the worker no JWT secret.
// Variable names and defaults are the same whichever app reads them.

export type SimulatorConfig = CoreConfig & MqttConfig;
export type WorkerConfig = CoreConfig & DatabaseConfig & RedisConfig & QueueWorkerConfig & ScoringConfig & RetentionConfig & NotificationsConfig;
export type IngestionConfig = CoreConfig & DatabaseConfig & RedisConfig & MqttConfig & IngestionSettings & ScoringConfig;
/** The API reads every section: it provisions devices, reports ingestion's health and queues scores and deliveries. */
export type ApiConfig = CoreConfig &
  DatabaseConfig &
  RedisConfig &
  MqttConfig &
  BrokerAuthConfig &
  IngestionSettings &
  ScoringConfig &
  RetentionConfig &
  HttpConfig &
  NotificationsConfig;
/**
 * The API's config under its old name: some thirty files (API services, lib services the API hosts, tests)
 * say AppConfig; new code names the section it reads (DatabaseConfig, HttpConfig...) or its app's config.
 */
export type AppConfig = ApiConfig;

// Each loader reads the environment once and validates only its app's sections. Feature code receives the
// result, never process.env.

export function loadApiConfig(source: NodeJS.ProcessEnv = process.env): ApiConfig {
  const shape = {
    ...coreShape,
    ...databaseShape,
    ...redisShape,
    ...mqttShape,
    ...brokerAuthShape,
    ...ingestionShape,
    ...scoringShape,
    ...retentionShape,
    ...httpShape,
    ...authShape,
    ...notificationsShape,
  };
  const e = parseEnvironment(shape, source, (env, context) => {
    authRules(env, context);
    databaseRules(env, context);
    notificationsRules(env, context);
    brokerAuthRules(env, context);
    redisRules(env, context);
  });
  return {
    ...coreOf(e),
    ...databaseOf(e),
    ...redisOf(e),
    ...mqttOf(e),
    ...brokerAuthOf(e),
    ...ingestionOf(e),
    ...scoringOf(e),
    ...retentionOf(e),
    ...httpOf(e),
    ...notificationsOf(e),
  };
}

export function loadWorkerConfig(source: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const shape = {
    ...coreShape,
    ...databaseShape,
    ...redisShape,
    ...queueWorkerShape,
    ...scoringShape,
    ...retentionShape,
    ...notificationsShape,
  };
  const e = parseEnvironment(shape, source, (env, context) => {
    databaseRules(env, context);
    notificationsRules(env, context);
    redisRules(env, context);
  });
  return {
    ...coreOf(e),
    ...databaseOf(e),
    ...redisOf(e),
    ...queueWorkerOf(e),
    ...scoringOf(e),
    ...retentionOf(e),
    ...notificationsOf(e),
  };
}

export function loadIngestionConfig(source: NodeJS.ProcessEnv = process.env): IngestionConfig {
  const shape = { ...coreShape, ...databaseShape, ...redisShape, ...mqttShape, ...ingestionShape, ...scoringShape };
  const e = parseEnvironment(shape, source, (env, context) => {
    databaseRules(env, context);
    redisRules(env, context);
    ingestionRules(env, context);
  });
  return { ...coreOf(e), ...databaseOf(e), ...redisOf(e), ...mqttOf(e), ...ingestionOf(e), ...scoringOf(e) };
}

/** The simulator publishes to the broker and nothing else: no database, no Redis, no secrets. */
export function loadSimulatorConfig(source: NodeJS.ProcessEnv = process.env): SimulatorConfig {
  const e = parseEnvironment({ ...coreShape, ...mqttShape }, source);
  return { ...coreOf(e), ...mqttOf(e) };
}

/** For the command-line tools: the migration runner (database) and the broker credentials sync (plus its files). */
export function loadDatabaseConfig(source: NodeJS.ProcessEnv = process.env): CoreConfig & DatabaseConfig {
  const e = parseEnvironment({ ...coreShape, ...databaseShape }, source, (env, context) => databaseRules(env, context));
  return { ...coreOf(e), ...databaseOf(e) };
}

export function loadBrokerAuthConfig(source: NodeJS.ProcessEnv = process.env): CoreConfig & DatabaseConfig & BrokerAuthConfig {
  const e = parseEnvironment({ ...coreShape, ...databaseShape, ...brokerAuthShape }, source, (env, context) => {
    databaseRules(env, context);
    brokerAuthRules(env, context);
  });
  return { ...coreOf(e), ...databaseOf(e), ...brokerAuthOf(e) };
}
