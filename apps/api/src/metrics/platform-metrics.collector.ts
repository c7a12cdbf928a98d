import { Gauge, type Registry } from 'prom-client';
import type { IngestionReplicaState, IngestionReplicaStatus } from '#app/observability';
import type { DeliveryProducer, ScoringProducer } from '#app/queue';
import { systemScope } from '../common/vehicle-scope.model.js';
import { withTimeout } from '../common/with-timeout.js';
import type { PlatformMetricsRepository } from './platform-metrics.repository.js';

const DELIVERY_STATUSES = ['PENDING', 'HELD', 'SENT', 'FAILED', 'GONE'] as const;
const JOB_STATES = ['waiting', 'delayed', 'active', 'failed', 'prioritized'] as const;
const INGESTION_STATES: readonly IngestionReplicaState[] = ['ok', 'stalled', 'unsubscribed', 'disconnected'];

export interface PlatformSources {
  database: PlatformMetricsRepository;
  /** The ingestion replicas that reported lately (their own verdict on whether telemetry reaches them). */
  ingestionReplicas(): Promise<IngestionReplicaStatus[]>;
  scoring: Pick<ScoringProducer, 'counts'>;
  deliveries: Pick<DeliveryProducer, 'counts'>;
}

/** A scrape must answer within Prometheus' timeout (10 s by default) even when a source hangs (Redis reconnecting). */
export const SCRAPE_SOURCE_TIMEOUT_MS = 1_000;

/** A gauge read at scrape time. When its source is away it has no series (an absent series is alertable), not a stale value. */
function scrapedGauge<L extends string>(
  registry: Registry,
  definition: { name: string; help: string; labelNames?: readonly L[] },
  read: (gauge: Gauge<L>) => Promise<void>,
): void {
  new Gauge<L>({
    ...definition,
    registers: [registry],
    async collect() {
      try {
        await withTimeout(read(this), SCRAPE_SOURCE_TIMEOUT_MS, definition.name);
      } catch {
        this.reset();
      }
    },
  });
}

/**
 * What an operator watches besides request rates, read from Postgres (the record) and the queues at
 * scrape time: is scoring keeping up with telemetry, are notifications going out. Aggregates over small
 * tables or an indexed status, so a scrape stays cheap.
 */
export function registerPlatformMetrics(registry: Registry, sources: PlatformSources): void {
  const platform = systemScope('platform-wide operator metrics');
  scrapedGauge(
    registry,
    {
      name: 'carhealth_vehicles_behind_telemetry',
      help: 'Vehicles whose stored telemetry is newer than their last score (normal while cars drive: the routine cadence rescores every SCORING_INTERVAL_MS).',
    },
    async (gauge) => {
      gauge.set(await sources.database.vehiclesBehindTelemetry(platform));
    },
  );
  scrapedGauge(
    registry,
    {
      name: 'carhealth_notification_deliveries',
      help: 'Notification deliveries by status (one row per reminder notification and channel).',
      labelNames: ['status'],
    },
    async (gauge) => {
      const rows = await sources.database.deliveriesByStatus(platform);
      for (const status of DELIVERY_STATUSES) gauge.set({ status }, rows.find((r) => r.status === status)?.count ?? 0);
    },
  );
  scrapedGauge(
    registry,
    {
      name: 'carhealth_notification_oldest_due_seconds',
      help: 'How long the oldest due delivery (not held, not waiting for a retry) has waited; it should stay near NOTIFY_SWEEP_MS.',
    },
    async (gauge) => {
      gauge.set(await sources.database.oldestDueDeliverySeconds(platform));
    },
  );
  scrapedGauge(registry, { name: 'carhealth_queue_jobs', help: 'BullMQ jobs by queue and state.', labelNames: ['queue', 'state'] }, async (gauge) => {
    const [scoring, notifications] = await Promise.all([sources.scoring.counts(), sources.deliveries.counts()]);
    for (const [queue, counts] of [
      ['scoring', scoring],
      ['notifications', notifications],
    ] as const) {
      for (const state of JOB_STATES) gauge.set({ queue, state }, counts[state] ?? 0);
    }
  });
  scrapedGauge(
    registry,
    {
      name: 'carhealth_ingestion_replicas',
      help: 'Ingestion replicas by the state they report: stalled = the broker received publishes for INGEST_STALL_WINDOW_MS and none reached the replica (alert on any non-ok).',
      labelNames: ['state'],
    },
    async (gauge) => {
      const replicas = await sources.ingestionReplicas();
      for (const state of INGESTION_STATES) gauge.set({ state }, replicas.filter((r) => r.state === state).length);
    },
  );
  scrapedGauge(
    registry,
    {
      name: 'carhealth_ingestion_last_message_age_seconds',
      help: 'Per replica, seconds since telemetry last reached it (no series before its first message).',
      labelNames: ['replica'],
    },
    async (gauge) => {
      const now = Date.now();
      gauge.reset();
      for (const r of await sources.ingestionReplicas()) {
        if (r.lastMessageAt !== null) gauge.set({ replica: r.replica }, Math.max(0, (now - r.lastMessageAt) / 1000));
      }
    },
  );
}
