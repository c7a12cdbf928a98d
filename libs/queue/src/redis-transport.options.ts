import { type RedisOptions as NestRedisOptions, Transport } from '@nestjs/microservices';

/** The connection options both ioredis and the Nest transport accept. */
export interface RedisEndpointOptions {
  host: string;
  port: number;
  db?: number;
  username?: string;
  password?: string;
  /** Present (empty: the system's CAs) for rediss://. */
  tls?: Record<string, never>;
}

/**
 * REDIS_URL as discrete ioredis options: ioredis takes a URL, but the Nest Redis transport builds its clients
 * from options only (`new Redis({ host, port, ...options })`). `redis[s]://[user[:password]@]host[:port][/db]`.
 */
export function redisOptionsFromUrl(redisUrl: string): RedisEndpointOptions {
  const url = new URL(redisUrl);
  const db = url.pathname.replace(/^\//, '');
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? 6379 : Number(url.port),
    ...(db === '' ? {} : { db: Number(db) }),
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** The transport's own reconnect policy: without retryAttempts it gives up after the first lost connection. */
const RECONNECT_DELAY_MS = 1000;

/** Reconnect for as long as the process lives (both modes: in cluster mode it retries the seed nodes). */
export const TRANSPORT_RETRY_OPTIONS = { retryAttempts: Number.MAX_SAFE_INTEGER, retryDelay: RECONNECT_DELAY_MS } as const;

/** The Nest Redis transport (server or client) on REDIS_URL, reconnecting for as long as the process lives. */
export function redisTransportOptions(redisUrl: string): NestRedisOptions & { transport: Transport.REDIS } {
  return {
    transport: Transport.REDIS,
    options: { ...redisOptionsFromUrl(redisUrl), ...TRANSPORT_RETRY_OPTIONS },
  };
}
