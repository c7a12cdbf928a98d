import { loadavg } from 'node:os';
import type pg from 'pg';
import { readAllProcStats } from '../fleet/proc-stat.js';
import { measureStored } from '../ingest/stored-telemetry.js';
import { type LoadChannel, type LoadOptions, publishTelemetry } from '../ingest/telemetry-load.js';
import type { ClusterUnderBench } from './cluster-under-bench.js';
import { LockWaitSampler } from './lock-waits.js';
import { cpuSecondsBetween, groupCpuSeconds, type ProcessGroup, type SidePhase } from './side-by-side.js';

/** A phase's rows must all be stored within this (a backlog drains after the publishers stop). */
export const STORE_TIMEOUT_MS = 180_000;
/** The quiet window before each phase that tells each group's idle use. */
const IDLE_SECONDS = 5;
const load = (): string =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');

export interface PhaseSetup {
  label: string;
  groups: ProcessGroup[];
  /** Groups read and printed per phase but not in the summary (each replica: one that used no CPU was not pulling). */
  detail: ProcessGroup[];
}

/** Seconds of CPU per second each group uses with the devices connected and nothing published. */
async function idleCoreShare(groups: readonly ProcessGroup[]): Promise<Record<string, number>> {
  const before = groupCpuSeconds(groups, await readAllProcStats());
  const started = Date.now();
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  const spent = cpuSecondsBetween(before, groupCpuSeconds(groups, await readAllProcStats()));
  const elapsed = (Date.now() - started) / 1000;
  return Object.fromEntries(Object.entries(spent).map(([name, value]) => [name, value / elapsed]));
}

const oneDecimal = (record: Record<string, number>, scale = 1): string =>
  JSON.stringify(Object.fromEntries(Object.entries(record).map(([name, value]) => [name, Number((value * scale).toFixed(1))])));

/** The phases of bench:cluster, each printed as it ends; the same offered load for all. */
export class BenchPhases {
  constructor(
    private readonly pool: pg.Pool,
    private readonly offered: LoadOptions,
    /** Groups every phase counts besides its own (Postgres, the bench process). */
    private readonly shared: readonly ProcessGroup[],
  ) {}

  /** Publishing at the offered load while `setup.groups` run, until every acknowledged message is stored. */
  async live(channels: readonly LoadChannel[], setup: PhaseSetup): Promise<SidePhase> {
    const { pool } = this;
    await pool.query('TRUNCATE telemetry_samples, rejected_messages');
    const idle = await idleCoreShare(setup.groups);
    const all = [...setup.groups, ...setup.detail];
    const before = groupCpuSeconds(all, await readAllProcStats());
    const loadBefore = load();
    const publishStarted = Date.now();
    const locks = new LockWaitSampler(pool);
    const published = await publishTelemetry(channels, this.offered);
    const publishSeconds = (Date.now() - publishStarted) / 1000;
    const result = await measureStored(pool, 'telemetry_samples', published, STORE_TIMEOUT_MS);
    const spent = cpuSecondsBetween(before, groupCpuSeconds(all, await readAllProcStats()));
    const cpuWindowSeconds = (Date.now() - publishStarted) / 1000;
    const lockWaits = await locks.stop();
    const rejected = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM rejected_messages')).rows[0]!.n);
    const cpuSeconds = Object.fromEntries(setup.groups.map((group) => [group.name, spent[group.name]!]));
    const detail = setup.detail.map((group) => `${group.name} ${spent[group.name]!.toFixed(1)} s`).join(', ');
    console.log(
      `${setup.label}: accepted ${String(Math.round(published / publishSeconds))}/s, ${JSON.stringify(result)}, rejected ${String(rejected)}; ` +
        `CPU s over ${cpuWindowSeconds.toFixed(1)} s ${oneDecimal(cpuSeconds)}${detail === '' ? '' : ` (${detail})`}; idle % of a core ${oneDecimal(idle, 100)}; ` +
        `${lockWaits}; load ${loadBefore} -> ${load()}`,
    );
    return { result, publishSeconds, cpuSeconds, cpuWindowSeconds, idleCoreShare: idle, load: loadavg() };
  }

  /**
   * Ingestion's own ceiling, without the broker's acceptance in the way: the replicas stopped, the devices publish for
   * the phase's length (the durable consumer keeps every message), then 1 or 3 replicas start at the same moment and
   * drain the backlog. Rate: rows over the span of their receive times; CPU from the first row on (the replicas' boot
   * is done by then: consuming is the last step of their start).
   */
  async backlog(cluster: ClusterUnderBench, channels: readonly LoadChannel[], replicas: number, label: string): Promise<SidePhase> {
    const { pool, shared } = this;
    await cluster.useReplicas(0);
    await cluster.waitConsumerIdle(STORE_TIMEOUT_MS);
    await pool.query('TRUNCATE telemetry_samples, rejected_messages');
    const idle = await idleCoreShare([...(await cluster.processGroups()), ...shared]);
    const publishStarted = Date.now();
    const published = await publishTelemetry(channels, this.offered);
    const publishSeconds = (Date.now() - publishStarted) / 1000;
    await cluster.startReplicasTogether(replicas);
    const groups = [...(await cluster.processGroups()), ...shared];
    const detail = replicas > 1 ? [...(await cluster.replicaPids())].map(([name, pid]) => ({ name, pids: [pid] })) : [];
    const all = [...groups, ...detail];
    const firstRowBy = Date.now() + 120_000;
    while (Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM telemetry_samples')).rows[0]!.n) === 0) {
      if (Date.now() > firstRowBy) throw new Error(`${label}: no row 120 s after the replicas started`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const before = groupCpuSeconds(all, await readAllProcStats());
    const cpuStarted = Date.now();
    const loadBefore = load();
    const locks = new LockWaitSampler(pool);
    const stored = await measureStored(pool, 'telemetry_samples', published, STORE_TIMEOUT_MS);
    const spent = cpuSecondsBetween(before, groupCpuSeconds(all, await readAllProcStats()));
    const cpuWindowSeconds = (Date.now() - cpuStarted) / 1000;
    const lockWaits = await locks.stop();
    const span = await pool.query<{ n: string; span: number }>(
      'SELECT count(*) AS n, extract(epoch FROM max("receivedAt") - min("receivedAt")) AS span FROM telemetry_samples',
    );
    const result = { ...stored, messagesPerSec: Math.round(Number(span.rows[0]!.n) / Number(span.rows[0]!.span)) };
    const cpuSeconds = Object.fromEntries(groups.map((group) => [group.name, spent[group.name]!]));
    const perReplica = detail.map((group) => `${group.name} ${spent[group.name]!.toFixed(1)} s`).join(', ');
    console.log(
      `${label}: ${String(published)} acknowledged in ${publishSeconds.toFixed(1)} s, then drained at ${String(result.messagesPerSec)}/s, ${JSON.stringify(result)}; ` +
        `CPU s over ${cpuWindowSeconds.toFixed(1)} s ${oneDecimal(cpuSeconds)}${perReplica === '' ? '' : ` (${perReplica})`}; ${lockWaits}; load ${loadBefore} -> ${load()}`,
    );
    return { result, publishSeconds, cpuSeconds, cpuWindowSeconds, idleCoreShare: idle, load: loadavg() };
  }
}
