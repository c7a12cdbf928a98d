import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { INGEST_CLIENT_ID_PREFIX } from './mqtt-client-ids.js';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1');

/** A value that may be left unset; empty counts as unset (a compose file passes `${VAR:-}`). */
const optionalValue = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined));

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** A path that may be left unset; an empty value counts as unset (infra.sh exports nothing for an external broker). */
const optionalPath = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined));

// The environment, in sections: each app validates the sections it uses (loadApiConfig, loadWorkerConfig,
// loadIngestionConfig, loadSimulatorConfig below), so the simulator needs no DATABASE_URL and the worker no
// JWT secret. Variable names and defaults are the same whichever app reads them.

const coreShape = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
};

const databaseShape = {
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
};

const redisShape = {
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .default('redis://127.0.0.1:6380'),
  QUEUE_PREFIX: z.string().default('carhealth'),
  /**
   * Redis Cluster mode: some of the cluster's nodes as host:port, comma-separated (the client discovers the
   * rest). Empty (the default): one Redis at REDIS_URL. Set, REDIS_URL is not used.
   */
  REDIS_CLUSTER_NODES: z
    .string()
    .default('')
    .transform((value, context) => {
      const nodes: RedisNode[] = [];
      for (const entry of value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '')) {
        const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(entry);
        const port = Number(match?.[2]);
        if (match === null || port < 1 || port > 65535) {
          context.addIssue({ code: 'custom', message: `"${entry}" is not host:port (e.g. 10.0.0.1:6379,10.0.0.2:6379)` });
          return z.NEVER;
        }
        nodes.push({ host: match[1].replace(/^\[(.*)\]$/, '$1'), port });
      }
      return nodes;
    }),
  /** The cluster nodes' ACL user and password (REDIS_URL carries them in single-node mode). */
  REDIS_CLUSTER_USERNAME: optionalValue,
  REDIS_CLUSTER_PASSWORD: optionalValue,
  /** TLS to the cluster nodes (rediss:// says it in single-node mode). */
  REDIS_CLUSTER_TLS: booleanFlag,
};

const mqttShape = {
  MQTT_URL: z
    .string()
    .regex(/^(mqtts?|tcp|ws|wss):\/\//, 'must be an mqtt:// URL')
    .default('mqtt://127.0.0.1:1883'),
  MQTT_EMBEDDED_BROKER: booleanFlag,
  /**
   * Shared-subscription group of the ingestion replicas. Empty (the default): one replica, one connection, a
   * plain subscription, which Mosquitto 2.0.11 restores with the session after a restart, so nothing published
   * while ingestion reconnects is dropped. Set it (e.g. `ingest`) to run several replicas; see the README on
   * what a broker restart can lose then.
   */
  MQTT_SHARE_GROUP: z.string().default(''),
};

const brokerAuthShape = {
  /** Where devices connect (the broker's login-only listener): told to a device when it is provisioned. */
  MQTT_DEVICE_HOST: z.string().min(1).default('127.0.0.1'),
  MQTT_DEVICE_PORT: positiveInt(1884),
  /**
   * The device listener's password_file and acl_file, rendered from Postgres (libs/broker-auth), and the
   * broker's pid file to signal a reload. Unset: device logins are managed by whoever runs the broker.
   */
  MQTT_DEVICE_PASSWORD_FILE: optionalPath,
  MQTT_DEVICE_ACL_FILE: optionalPath,
  MQTT_BROKER_PID_FILE: optionalPath,
};

const ingestionShape = {
  /** Stable per replica: the broker keeps this client's session (and unacknowledged messages). */
  INGEST_CLIENT_ID: z
    .string()
    .refine((value) => value.startsWith(INGEST_CLIENT_ID_PREFIX) && value.length > INGEST_CLIENT_ID_PREFIX.length, {
      error: `must start with ${INGEST_CLIENT_ID_PREFIX}: the client ids no device can be given (libs/config mqtt-client-ids.ts)`,
    })
    .default('ingest-1'),
  INGEST_CONNECTIONS: positiveInt(2),
  INGEST_BATCH_MAX: positiveInt(5000),
  INGEST_FLUSH_MS: positiveInt(20),
  INGEST_MAX_INFLIGHT: positiveInt(10000),
  /** How often a lost broker connection is retried: short, a shared subscription is missing until it is back. */
  INGEST_RECONNECT_MS: positiveInt(250),
  /** How often each replica reports its connections and traffic (read by /health/ready and /metrics). */
  INGEST_STATUS_INTERVAL_MS: positiveInt(5000),
  /** Stalled: the broker received publishes for this long and none reached ingestion (spans several $SYS updates). */
  INGEST_STALL_WINDOW_MS: positiveInt(60000),
  INGEST_METRICS_PORT: z.coerce.number().int().nonnegative().default(0),
  /**
   * Where ingestion reads telemetry: `mqtt` (the default: Mosquitto, or any MQTT 5 broker with `$share`) or `nats`
   * (the clustered NATS tier of scripts/nats-cluster.sh: one durable JetStream consumer shared by every replica).
   */
  INGESTION_SOURCE: z.enum(['mqtt', 'nats']).default('mqtt'),
  /** With INGESTION_SOURCE=nats: some of the cluster's client URLs, comma-separated (the client learns the rest). */
  NATS_SERVERS: z
    .string()
    .default('')
    .transform((value, context) => {
      const servers = value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '');
      for (const server of servers) {
        if (!/^(nats|tls):\/\/[^\s/]+:\d{1,5}$/.test(server)) {
          context.addIssue({ code: 'custom', message: `"${server}" is not nats://host:port (e.g. nats://10.0.0.1:4222,nats://10.0.0.2:4222)` });
          return z.NEVER;
        }
      }
      return servers;
    }),
  /** The platform's NATS user (scripts/nats-cluster.sh: `carhealth`, its password in <dir>/internal-password). */
  NATS_USER: optionalValue,
  NATS_PASSWORD: optionalValue,
  /** The durable consumer every ingestion replica pulls from: one name for all of them, so they share the work. */
  NATS_CONSUMER: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, - or _')
    .default('ingest'),
  /** How long a message taken by a replica may stay unacknowledged before NATS gives it to another replica. */
  NATS_ACK_WAIT_MS: positiveInt(60_000),
};

const scoringShape = {
  /** How long a prompt score waits (a warning sign in the telemetry, an inspection): coalesces a burst. */
  SCORING_DEBOUNCE_MS: z.coerce.number().int().nonnegative().default(5000),
  /**
   * A driving car is rescored from routine telemetry at most this often: its trends move over days, and
   * rescoring every car every few seconds would cost the worker a score per car per debounce window.
   */
  SCORING_INTERVAL_MS: z.coerce.number().int().nonnegative().default(600_000),
  RECONCILE_INTERVAL_MS: positiveInt(60000),
  /**
   * Full rebuilds of a car's model summaries (a new model version, a late sample) per second per worker:
   * each reads the whole 30-day window (~150 ms of work, against ~3 ms for an incremental score), so a
   * deploy that changes a model does not stall the fleet's routine scores. A car's first score is never held.
   */
  SCORING_REBUILDS_PER_SECOND: z.coerce.number().positive().default(4),
};

const retentionShape = {
  /**
   * Raw telemetry (and device tyre readings) older than this is deleted by the worker's retention sweep.
   * It must exceed the 365 days a sample may be late (the device contract), or a late resend of a deleted
   * sample would be stored a second time. Models read at most 120 days.
   */
  TELEMETRY_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(366, 'must be at least 366: samples up to 365 days old are accepted, and a resend must still find its original')
    .default(400),
  /** Rejected messages are kept this long for owners and staff to look up. */
  REJECTED_RETENTION_DAYS: positiveInt(90),
  /** How often the retention sweep runs (one replica at a time: a BullMQ job scheduler). */
  RETENTION_INTERVAL_MS: positiveInt(3_600_000),
};

const httpShape = {
  PORT: positiveInt(3000),
  /** The API's listening address: loopback unless a deployment (compose, a container) says otherwise. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Reverse proxies in front of the API whose X-Forwarded-For is believed. 0 (direct): behind a load
   * balancer every caller would share the balancer's address, and so one rate-limit bucket.
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().nonnegative().default(0),
  /**
   * Requests per minute per caller (user id, or client IP when unauthenticated), across all API replicas.
   * A dashboard tab polls a handful of endpoints every few seconds; 600 leaves an order of magnitude of room.
   */
  RATE_LIMIT_PER_MINUTE: positiveInt(600),
};

const authShape = {
  /** Signs the API's tokens. No default: see secretProblem() and the README's Configuration section. */
  JWT_SECRET: z.string().optional(),
  JWT_TTL_SECONDS: positiveInt(12 * 3600),
  /** Failed logins before an account (or an IP) is refused without checking the password, per window. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: positiveInt(10),
  /** Higher than per account: a garage or a carrier NAT puts many honest users behind one address. */
  LOGIN_MAX_FAILURES_PER_IP: positiveInt(50),
  LOGIN_LOCKOUT_WINDOW_SECONDS: positiveInt(900),
};

const notificationsShape = {
  SMTP_HOST: z.string().default('127.0.0.1'),
  SMTP_PORT: positiveInt(2525),
  SMTP_SECURE: booleanFlag,
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().default('Car Health <reminders@carhealth.local>'),
  SMTP_TIMEOUT_MS: positiveInt(10000),
  /** Generated on first use and kept: subscriptions are bound to this key pair. */
  VAPID_KEY_FILE: z.string().optional(),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:)/, 'must start with mailto: or https:')
    .default('mailto:ops@carhealth.local'),
  WEB_PUSH_TTL_SECONDS: positiveInt(86400),
  WEB_PUSH_TIMEOUT_MS: positiveInt(10000),
  WEBHOOK_TIMEOUT_MS: positiveInt(10000),
  // Owner-supplied URLs (webhooks, push endpoints) go to public https addresses only; these ranges are let
  // through anyway, http included: tests' and a local demo's peers. Empty (the default) in production.
  OUTBOUND_ALLOWED_CIDRS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((cidr) => cidr.trim())
        .filter((cidr) => cidr !== ''),
    ),
  /** How often a reminder nobody acted on is sent again, by risk; 0 = never. */
  REMINDER_REPEAT_SOON_HOURS: z.coerce.number().nonnegative().default(168),
  REMINDER_REPEAT_URGENT_HOURS: z.coerce.number().nonnegative().default(24),
  REMINDER_REPEAT_CRITICAL_HOURS: z.coerce.number().nonnegative().default(4),
  NOTIFY_DIGEST_TIME: z
    .string()
    .regex(/^\d{2}:\d{2}$/, 'must be HH:MM')
    .default('09:00'),
  /** How often the worker looks for reminders due to be sent and deliveries due to be retried. */
  NOTIFY_SWEEP_MS: positiveInt(5000),
  /** The owner web app as owners reach it: every reminder message links to the reminder there. */
  PUBLIC_APP_URL: z
    .string()
    .regex(/^https?:\/\/[^/]+\/(.*\/)?$/, 'must be an http(s) URL ending in /')
    .default('http://127.0.0.1:3000/app/'),
  /**
   * Sends in flight per worker. Sends wait on other people's servers (a slow webhook receiver can take its
   * whole timeout), so this is sized for waiting, not for CPU: a few slow peers must not stall everyone else.
   */
  NOTIFY_CONCURRENCY: positiveInt(64),
};

type Env<S extends z.ZodRawShape> = z.infer<z.ZodObject<S>>;
type Rules<S extends z.ZodRawShape> = (env: Env<S>, context: z.RefinementCtx) => void;

const authRules: Rules<typeof coreShape & typeof authShape> = (env, context) => {
  const jwtProblem = secretProblem(env.JWT_SECRET, env.NODE_ENV);
  if (jwtProblem !== undefined) context.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: jwtProblem });
};

const databaseRules: Rules<typeof coreShape & typeof databaseShape> = (env, context) => {
  if (env.NODE_ENV !== 'production') return;
  const databasePassword = passwordOf(env.DATABASE_URL);
  if (databasePassword !== undefined && KNOWN_DEFAULT_DATABASE_PASSWORDS.has(databasePassword)) {
    context.addIssue({
      code: 'custom',
      path: ['DATABASE_URL'],
      message: `carries the shipped default password "${databasePassword}": give the database a password of its own (${HOW_TO_MAKE_A_SECRET})`,
    });
  }
};

const notificationsRules: Rules<typeof coreShape & typeof notificationsShape> = (env, context) => {
  // Generated on first use into the file: in production each replica (API and worker) must find the same
  // pair, so the file is named explicitly on storage they share rather than defaulted inside each app folder.
  if (env.NODE_ENV === 'production' && env.VAPID_KEY_FILE === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['VAPID_KEY_FILE'],
      message:
        'must be set in production: an absolute path on storage shared by the API and the worker (the key pair is generated there on first use, mode 0600)',
    });
  }
};

const redisRules: Rules<typeof redisShape> = (env, context) => {
  // In cluster mode the platform wraps the prefix in hash tags ({prefix:queue}); a brace of its own would
  // become the tag instead, putting every queue (or none of a queue's keys together) in one slot.
  if (env.REDIS_CLUSTER_NODES.length > 0 && /[{}]/.test(env.QUEUE_PREFIX)) {
    context.addIssue({
      code: 'custom',
      path: ['QUEUE_PREFIX'],
      message: 'must not contain { or } with REDIS_CLUSTER_NODES: the platform adds the cluster hash tags itself',
    });
  }
};

const ingestionRules: Rules<typeof ingestionShape> = (env, context) => {
  if (env.INGESTION_SOURCE === 'nats' && env.NATS_SERVERS.length === 0) {
    context.addIssue({ code: 'custom', path: ['NATS_SERVERS'], message: 'is required with INGESTION_SOURCE=nats' });
  }
};

const brokerAuthRules: Rules<typeof brokerAuthShape> = (env, context) => {
  // One file without the other would leave the broker with logins but no ACL (or the reverse).
  if ((env.MQTT_DEVICE_PASSWORD_FILE === undefined) !== (env.MQTT_DEVICE_ACL_FILE === undefined)) {
    context.addIssue({
      code: 'custom',
      path: [env.MQTT_DEVICE_PASSWORD_FILE === undefined ? 'MQTT_DEVICE_PASSWORD_FILE' : 'MQTT_DEVICE_ACL_FILE'],
      message: 'MQTT_DEVICE_PASSWORD_FILE and MQTT_DEVICE_ACL_FILE are set together or not at all',
    });
  }
};

/** Validates the variables of `shape` (and its cross-field rules) in one pass; every problem is named. */
function parseEnvironment<S extends z.ZodRawShape>(shape: S, source: NodeJS.ProcessEnv, rules: Rules<S> = () => undefined): Env<S> {
  const parsed = z.object(shape).superRefine(rules).safeParse(source);
  if (!parsed.success) {
    throw new InvalidConfigurationError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  return parsed.data;
}

export type Environment = Env<typeof coreShape>;

/** Shown with every refused secret: a command that makes a good one. */
export const HOW_TO_MAKE_A_SECRET =
  'make one with `openssl rand -base64 48` and pass it in the environment (`npm start` keeps a generated one in its state folder)';

/** HS256 keys shorter than this can be brute-forced from a single token offline. */
export const MIN_SECRET_LENGTH = 32;

/**
 * Secrets this project has shipped as defaults (libs/config, docker-compose.yml). They are public, so a token
 * signed with one is a forgery whatever the mode: refused in development and tests too, not just production.
 */
export const KNOWN_DEFAULT_SECRETS: ReadonlySet<string> = new Set(['dev-only-secret-change-me-in-production', 'change-me-please-at-least-16-chars']);

const KNOWN_DEFAULT_DATABASE_PASSWORDS: ReadonlySet<string> = new Set(['carhealth', 'postgres', 'password']);

/** Why a secret cannot be used, or undefined when it can. Missing is allowed outside production (see developmentSecret). */
export function secretProblem(secret: string | undefined, mode: Environment['NODE_ENV']): string | undefined {
  if (secret === undefined || secret === '') {
    return mode === 'production' ? `is required in production: ${HOW_TO_MAKE_A_SECRET}` : undefined;
  }
  if (KNOWN_DEFAULT_SECRETS.has(secret) || /change-?me/i.test(secret)) {
    return `is a published default, so anyone can sign tokens with it: ${HOW_TO_MAKE_A_SECRET}`;
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    return `must be at least ${MIN_SECRET_LENGTH} characters (got ${secret.length}): ${HOW_TO_MAKE_A_SECRET}`;
  }
  // A long run of one character or a short repeated word is as guessable as a short secret.
  if (new Set(secret).size < 8) {
    return `has fewer than 8 distinct characters: ${HOW_TO_MAKE_A_SECRET}`;
  }
  return undefined;
}

function passwordOf(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password === '' ? undefined : decodeURIComponent(password);
  } catch {
    return undefined;
  }
}

/**
 * Outside production, a process started without JWT_SECRET signs with a random key of its own: tokens then
 * end with the process, which is harmless in development, and no guessable key exists. One per process, so
 * every module that loads the config agrees. `npm start` and `npm test` keep a generated one in the state folder.
 */
let developmentSecret: string | undefined;
function processLocalSecret(): string {
  developmentSecret ??= randomBytes(48).toString('base64url');
  return developmentSecret;
}

export interface CoreConfig {
  readonly env: Environment['NODE_ENV'];
  readonly logLevel: Environment['LOG_LEVEL'];
}
export interface DatabaseConfig {
  readonly databaseUrl: string;
}
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}
/** A Redis Cluster's seed nodes and how to log in to every node. */
export interface RedisClusterConfig {
  readonly nodes: readonly RedisNode[];
  readonly username?: string;
  readonly password?: string;
  readonly tls: boolean;
}
export interface RedisConfig {
  /** The single Redis (the default mode); not used when redisCluster is set. */
  readonly redisUrl: string;
  /** Redis Cluster mode (REDIS_CLUSTER_NODES); null: one Redis at redisUrl. */
  readonly redisCluster: RedisClusterConfig | null;
  readonly queuePrefix: string;
}
export interface MqttConfig {
  readonly mqtt: {
    readonly url: string;
    readonly embeddedBroker: boolean;
    readonly shareGroup: string;
  };
}
export interface BrokerAuthConfig {
  readonly brokerAuth: {
    /** What a provisioned device is told to connect to. */
    readonly deviceEndpoint: { readonly host: string; readonly port: number };
    /** Null when this platform does not manage the broker's device logins (an external broker). */
    readonly files: {
      readonly passwordFile: string;
      readonly aclFile: string;
      /** Null: the files are written but nobody is told to reload them. */
      readonly pidFile: string | null;
    } | null;
  };
}
export interface IngestionSettings {
  readonly ingestion: {
    readonly clientId: string;
    readonly connections: number;
    readonly batchMax: number;
    readonly flushMs: number;
    readonly maxInflight: number;
    readonly reconnectMs: number;
    readonly statusIntervalMs: number;
    readonly stallWindowMs: number;
    readonly metricsPort: number;
    readonly source: 'mqtt' | 'nats';
    /** Used with source `nats` only. */
    readonly nats: {
      readonly servers: readonly string[];
      readonly user: string | undefined;
      readonly password: string | undefined;
      readonly consumer: string;
      readonly ackWaitMs: number;
    };
  };
}
export interface ScoringConfig {
  readonly scoring: {
    readonly debounceMs: number;
    readonly intervalMs: number;
    readonly reconcileIntervalMs: number;
    readonly rebuildsPerSecond: number;
  };
}
export interface RetentionConfig {
  readonly retention: {
    readonly telemetryDays: number;
    readonly rejectedDays: number;
    readonly intervalMs: number;
  };
}
/** The API's HTTP listener, its tokens and its rate limits. */
export interface HttpConfig {
  readonly api: {
    readonly port: number;
    readonly host: string;
    readonly jwtSecret: string;
    readonly jwtTtlSeconds: number;
    readonly trustProxyHops: number;
  };
  readonly rateLimit: {
    readonly requestsPerMinute: number;
    readonly login: {
      readonly maxFailuresPerAccount: number;
      readonly maxFailuresPerIp: number;
      readonly windowSeconds: number;
    };
  };
}
export interface NotificationsConfig {
  readonly notifications: {
    readonly smtp: {
      readonly host: string;
      readonly port: number;
      readonly secure: boolean;
      readonly auth?: { readonly user: string; readonly pass: string };
      readonly from: string;
      readonly timeoutMs: number;
    };
    readonly vapid: { readonly keyFile: string; readonly subject: string };
    readonly webPushTtlSeconds: number;
    readonly webPushTimeoutMs: number;
    readonly webhookTimeoutMs: number;
    /** OUTBOUND_ALLOWED_CIDRS: private ranges webhooks and push may reach anyway; empty by default. */
    readonly outboundAllowedCidrs: readonly string[];
    readonly repeatHours: { readonly SOON: number; readonly URGENT: number; readonly CRITICAL: number };
    readonly digestTime: string;
    readonly sweepMs: number;
    readonly appUrl: string;
    readonly concurrency: number;
  };
}

export type SimulatorConfig = CoreConfig & MqttConfig;
export type WorkerConfig = CoreConfig & DatabaseConfig & RedisConfig & ScoringConfig & RetentionConfig & NotificationsConfig;
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

export class InvalidConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'InvalidConfigurationError';
  }
}

const coreOf = (e: Env<typeof coreShape>): CoreConfig => ({ env: e.NODE_ENV, logLevel: e.LOG_LEVEL });
const databaseOf = (e: Env<typeof databaseShape>): DatabaseConfig => ({ databaseUrl: e.DATABASE_URL });
const redisOf = (e: Env<typeof redisShape>): RedisConfig => ({
  redisUrl: e.REDIS_URL,
  redisCluster:
    e.REDIS_CLUSTER_NODES.length === 0
      ? null
      : {
          nodes: e.REDIS_CLUSTER_NODES,
          ...(e.REDIS_CLUSTER_USERNAME === undefined ? {} : { username: e.REDIS_CLUSTER_USERNAME }),
          ...(e.REDIS_CLUSTER_PASSWORD === undefined ? {} : { password: e.REDIS_CLUSTER_PASSWORD }),
          tls: e.REDIS_CLUSTER_TLS,
        },
  queuePrefix: e.QUEUE_PREFIX,
});
const mqttOf = (e: Env<typeof mqttShape>): MqttConfig => ({
  mqtt: { url: e.MQTT_URL, embeddedBroker: e.MQTT_EMBEDDED_BROKER, shareGroup: e.MQTT_SHARE_GROUP },
});
const brokerAuthOf = (e: Env<typeof brokerAuthShape>): BrokerAuthConfig => ({
  brokerAuth: {
    deviceEndpoint: { host: e.MQTT_DEVICE_HOST, port: e.MQTT_DEVICE_PORT },
    files:
      e.MQTT_DEVICE_PASSWORD_FILE !== undefined && e.MQTT_DEVICE_ACL_FILE !== undefined
        ? { passwordFile: e.MQTT_DEVICE_PASSWORD_FILE, aclFile: e.MQTT_DEVICE_ACL_FILE, pidFile: e.MQTT_BROKER_PID_FILE ?? null }
        : null,
  },
});
const ingestionOf = (e: Env<typeof ingestionShape>): IngestionSettings => ({
  ingestion: {
    clientId: e.INGEST_CLIENT_ID,
    connections: e.INGEST_CONNECTIONS,
    batchMax: e.INGEST_BATCH_MAX,
    flushMs: e.INGEST_FLUSH_MS,
    maxInflight: e.INGEST_MAX_INFLIGHT,
    reconnectMs: e.INGEST_RECONNECT_MS,
    statusIntervalMs: e.INGEST_STATUS_INTERVAL_MS,
    stallWindowMs: e.INGEST_STALL_WINDOW_MS,
    metricsPort: e.INGEST_METRICS_PORT,
    source: e.INGESTION_SOURCE,
    nats: { servers: e.NATS_SERVERS, user: e.NATS_USER, password: e.NATS_PASSWORD, consumer: e.NATS_CONSUMER, ackWaitMs: e.NATS_ACK_WAIT_MS },
  },
});
const scoringOf = (e: Env<typeof scoringShape>): ScoringConfig => ({
  scoring: {
    debounceMs: e.SCORING_DEBOUNCE_MS,
    intervalMs: e.SCORING_INTERVAL_MS,
    reconcileIntervalMs: e.RECONCILE_INTERVAL_MS,
    rebuildsPerSecond: e.SCORING_REBUILDS_PER_SECOND,
  },
});
const retentionOf = (e: Env<typeof retentionShape>): RetentionConfig => ({
  retention: { telemetryDays: e.TELEMETRY_RETENTION_DAYS, rejectedDays: e.REJECTED_RETENTION_DAYS, intervalMs: e.RETENTION_INTERVAL_MS },
});
const httpOf = (e: Env<typeof httpShape & typeof authShape>): HttpConfig => ({
  api: {
    port: e.PORT,
    host: e.HOST,
    jwtSecret: e.JWT_SECRET || processLocalSecret(),
    jwtTtlSeconds: e.JWT_TTL_SECONDS,
    trustProxyHops: e.TRUST_PROXY_HOPS,
  },
  rateLimit: {
    requestsPerMinute: e.RATE_LIMIT_PER_MINUTE,
    login: {
      maxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
      windowSeconds: e.LOGIN_LOCKOUT_WINDOW_SECONDS,
    },
  },
});
const notificationsOf = (e: Env<typeof notificationsShape>): NotificationsConfig => ({
  notifications: {
    smtp: {
      host: e.SMTP_HOST,
      port: e.SMTP_PORT,
      secure: e.SMTP_SECURE,
      // Log in only when both are given: a local relay usually needs no login.
      ...(e.SMTP_USER && e.SMTP_PASSWORD ? { auth: { user: e.SMTP_USER, pass: e.SMTP_PASSWORD } } : {}),
      from: e.SMTP_FROM,
      timeoutMs: e.SMTP_TIMEOUT_MS,
    },
    // Development default inside the checkout (.local is git-ignored); production names it (see the rules).
    vapid: { keyFile: e.VAPID_KEY_FILE ?? './.local/vapid.json', subject: e.VAPID_SUBJECT },
    webPushTtlSeconds: e.WEB_PUSH_TTL_SECONDS,
    webPushTimeoutMs: e.WEB_PUSH_TIMEOUT_MS,
    webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
    outboundAllowedCidrs: e.OUTBOUND_ALLOWED_CIDRS,
    repeatHours: {
      SOON: e.REMINDER_REPEAT_SOON_HOURS,
      URGENT: e.REMINDER_REPEAT_URGENT_HOURS,
      CRITICAL: e.REMINDER_REPEAT_CRITICAL_HOURS,
    },
    digestTime: e.NOTIFY_DIGEST_TIME,
    sweepMs: e.NOTIFY_SWEEP_MS,
    appUrl: e.PUBLIC_APP_URL,
    concurrency: e.NOTIFY_CONCURRENCY,
  },
});

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
  const shape = { ...coreShape, ...databaseShape, ...redisShape, ...scoringShape, ...retentionShape, ...notificationsShape };
  const e = parseEnvironment(shape, source, (env, context) => {
    databaseRules(env, context);
    notificationsRules(env, context);
    redisRules(env, context);
  });
  return { ...coreOf(e), ...databaseOf(e), ...redisOf(e), ...scoringOf(e), ...retentionOf(e), ...notificationsOf(e) };
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
