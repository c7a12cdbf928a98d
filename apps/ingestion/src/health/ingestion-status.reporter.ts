import type { Cluster, Redis } from 'ioredis';
import { type IngestionReplicaStatus, ingestionStatusKey } from '#app/observability';
import { assessIngestion, type TrafficReading } from './ingestion-stall.policy.js';
import type { ConnectionStatus } from '../mqtt/deferred-ack.client.js';

/**
 * Mosquitto's count of PUBLISH packets received since it started, refreshed every `sys_interval` (10 s by
 * default). Other brokers publish other $SYS trees or none: then the stall check says nothing (brokerPublishes
 * null) and the connection and subscription states still do.
 */
export const BROKER_PUBLISHES_TOPIC = '$SYS/broker/publish/messages/received';

export interface StatusSource {
  connections(): ConnectionStatus[];
  /** Messages this replica received since it started. */
  received(): number;
}

export interface StatusReporterOptions {
  replica: string;
  prefix: string;
  intervalMs: number;
  stallWindowMs: number;
}

/**
 * Every few seconds: reads this replica's connections and traffic, decides whether telemetry is reaching it
 * (ingestion-stall.policy) and writes the verdict to Redis, where the API's /health/ready and /metrics read
 * it. The broker's own counter arrives on the first connection's $SYS subscription.
 */
export class IngestionStatusReporter {
  private readonly readings: TrafficReading[] = [];
  private brokerPublishes: number | null = null;
  private timer: NodeJS.Timeout | undefined;
  /** The last verdict: a warning is logged when it turns from ok, not on every report. */
  private latest: IngestionReplicaStatus | undefined;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly source: StatusSource,
    private readonly options: StatusReporterOptions,
    private readonly warn: (line: string) => void,
  ) {}

  /** The side subscription's handler: the broker's counter, as text. */
  onBrokerStat(payload: Buffer): void {
    const value = Number(payload.toString('utf8'));
    if (Number.isFinite(value)) this.brokerPublishes = value;
  }

  start(): void {
    this.timer = setInterval(() => void this.report(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Reads, decides and writes once; a Redis outage only skips the write (the next one catches up). */
  async report(nowMs = Date.now()): Promise<IngestionReplicaStatus> {
    this.readings.push({ atMs: nowMs, brokerPublishes: this.brokerPublishes, received: this.source.received() });
    // Keep just over one window of readings (the oldest one at least a window old is the baseline).
    while (this.readings.length > 2 && nowMs - this.readings[1].atMs >= this.options.stallWindowMs) this.readings.shift();
    const connections = this.source.connections();
    const subscribed = connections.filter((c) => c.subscribed).length;
    const assessment = assessIngestion(
      this.readings,
      { connections: connections.length, connected: connections.filter((c) => c.connected).length, subscribed },
      this.options.stallWindowMs,
    );
    const lastMessageAt = Math.max(0, ...connections.map((c) => c.lastMessageAt ?? 0));
    const status: IngestionReplicaStatus = {
      replica: this.options.replica,
      ...assessment,
      reportedAt: nowMs,
      connections: connections.length,
      subscribed,
      lastMessageAt: lastMessageAt === 0 ? null : lastMessageAt,
    };
    if (status.state !== 'ok' && (this.latest?.state ?? 'ok') === 'ok') this.warn(`ingestion ${status.state}: ${status.detail ?? ''}`);
    this.latest = status;
    await this.redis.hset(ingestionStatusKey(this.options.prefix), this.options.replica, JSON.stringify(status)).catch(() => undefined);
    return status;
  }

  /** Stops reporting and removes this replica's entry (a stopped replica is not a stalled one). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    // Bounded: with Redis away the command would wait for a reconnect that may not come before we exit.
    const removed = this.redis.hdel(ingestionStatusKey(this.options.prefix), this.options.replica).catch(() => undefined);
    await Promise.race([removed, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
  }
}
