// Pure parts of bench:cluster (no servers): the order the sides run in, CPU per stored message from two /proc
// readings of the same processes, each side's summary over its phases, and the side-by-side table.
import type { PhaseResult } from '../ingest/stored-telemetry.js';
import { type ProcStat, processCpuSeconds, treeCpuSeconds } from '../fleet/proc-stat.js';

/**
 * The replica counts in the order they run: a, b, b, a per round, so a drift of the machine's load over the run
 * (a neighbour starting, Postgres' caches warming) falls on both sides alike instead of on whichever runs last.
 */
export function sideOrder<T>(a: T, b: T, rounds: number): T[] {
  return Array.from({ length: rounds }, () => [a, b, b, a]).flat();
}

/**
 * Processes whose CPU is counted together: the ingestion replicas summed, one broker node, Postgres. `tree`: the
 * process and its children (the postmaster: its backends and background processes, live or exited).
 */
export interface ProcessGroup {
  name: string;
  pids: readonly number[];
  tree?: boolean;
}

/** CPU seconds each group has used so far; NaN for a group one of whose processes is gone. */
export function groupCpuSeconds(groups: readonly ProcessGroup[], stats: readonly ProcStat[]): Record<string, number> {
  const seconds = (group: ProcessGroup, pid: number): number => (group.tree === true ? treeCpuSeconds(pid, stats) : processCpuSeconds(pid, stats));
  return Object.fromEntries(groups.map((group) => [group.name, group.pids.reduce((sum, pid) => sum + seconds(group, pid), 0)]));
}

/**
 * What each group used between two readings. A group missing from `before` or whose process was replaced (a pid gone:
 * NaN) gives NaN rather than a figure that counts a restart's start-up or leaves a process out.
 */
export function cpuSecondsBetween(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([name, seconds]) => [name, seconds - (before[name] ?? Number.NaN)]));
}

/** One measured phase of a side: what was stored and the CPU each group spent from the first publish until it was. */
export interface SidePhase {
  result: PhaseResult;
  /** Wall time of the publishing, until the last PUBACK: the broker accepted result.published in it. */
  publishSeconds: number;
  cpuSeconds: Record<string, number>;
  /** Wall time the CPU was read over: from the first publish until every row was counted. */
  cpuWindowSeconds: number;
  /**
   * CPU seconds per second each group used just before, devices connected and nothing published (Raft heartbeats,
   * keep-alives, pull requests, status reports): a cost per second, not per message.
   */
  idleCoreShare: Record<string, number>;
  /** os.loadavg() at the phase's end. */
  load: readonly number[];
}

export interface SideSummary {
  phases: number;
  /** Medians over the phases. Accepted: PUBACKs per second while publishing (below the offered load: the broker's limit). */
  acceptedPerSec: number;
  messagesPerSec: number;
  p50Ms: number;
  p99Ms: number;
  lost: number;
  duplicated: number;
  /**
   * CPU ms per stored message (= CPU seconds per 1,000 messages) per group, pooled over the phases (all their CPU over
   * all their rows, so a short phase weighs less), and their sum.
   */
  cpuMsPerMessageByGroup: Record<string, number>;
  cpuMsPerMessage: number;
  /** The idle use per group (median over the phases), in % of a core. */
  idlePercentByGroup: Record<string, number>;
  /** cpuMsPerMessage without what the groups would have used idle over the same windows: the cost a message adds. */
  netCpuMsPerMessage: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;
const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

export function summarizeSide(phases: readonly SidePhase[]): SideSummary {
  const stored = sum(phases.map((phase) => phase.result.stored));
  const groups = [...new Set(phases.flatMap((phase) => Object.keys(phase.cpuSeconds)))];
  const spent = (phase: SidePhase, group: string): number => phase.cpuSeconds[group] ?? Number.NaN;
  const idle = (phase: SidePhase, group: string): number => (phase.idleCoreShare[group] ?? Number.NaN) * phase.cpuWindowSeconds;
  const byGroup = Object.fromEntries(groups.map((group) => [group, round2((sum(phases.map((phase) => spent(phase, group))) * 1000) / stored)]));
  const net = sum(groups.flatMap((group) => phases.map((phase) => spent(phase, group) - idle(phase, group))));
  return {
    phases: phases.length,
    acceptedPerSec: Math.round(median(phases.map((phase) => phase.result.published / phase.publishSeconds))),
    messagesPerSec: Math.round(median(phases.map((phase) => phase.result.messagesPerSec))),
    p50Ms: Math.round(median(phases.map((phase) => phase.result.p50Ms))),
    p99Ms: Math.round(median(phases.map((phase) => phase.result.p99Ms))),
    lost: sum(phases.map((phase) => phase.result.published - phase.result.distinct)),
    duplicated: sum(phases.map((phase) => phase.result.stored - phase.result.distinct)),
    cpuMsPerMessageByGroup: byGroup,
    cpuMsPerMessage: round2(sum(Object.values(byGroup))),
    idlePercentByGroup: Object.fromEntries(
      groups.map((group) => [group, Math.round(median(phases.map((phase) => phase.idleCoreShare[group] ?? Number.NaN)) * 1000) / 10]),
    ),
    netCpuMsPerMessage: round2((net * 1000) / stored),
  };
}

/**
 * The sides as columns, one row per figure and per process group (CPU ms per stored message); a group a side does
 * not have (Mosquitto on the cluster's sides) shows `-`.
 */
export function sideBySideTable(sides: readonly { label: string; summary: SideSummary }[]): string {
  const groups = [...new Set(sides.flatMap((side) => Object.keys(side.summary.cpuMsPerMessageByGroup)))];
  const rows: [string, ...string[]][] = [
    ['', ...sides.map((side) => side.label)],
    ['phases', ...sides.map((side) => String(side.summary.phases))],
    ['accepted msg/s (PUBACKs, median)', ...sides.map((side) => String(side.summary.acceptedPerSec))],
    ['stored msg/s (median)', ...sides.map((side) => String(side.summary.messagesPerSec))],
    ['publish-to-stored p50 ms', ...sides.map((side) => String(side.summary.p50Ms))],
    ['publish-to-stored p99 ms', ...sides.map((side) => String(side.summary.p99Ms))],
    ['lost / duplicated', ...sides.map((side) => `${String(side.summary.lost)} / ${String(side.summary.duplicated)}`)],
    ...groups.map((group): [string, ...string[]] => [
      `CPU ms/msg (idle % of a core): ${group}`,
      ...sides.map((side) => {
        const value = side.summary.cpuMsPerMessageByGroup[group];
        return value === undefined ? '-' : `${value.toFixed(2)} (${String(side.summary.idlePercentByGroup[group] ?? '?')}%)`;
      }),
    ]),
    ['CPU ms/msg: all counted', ...sides.map((side) => side.summary.cpuMsPerMessage.toFixed(2))],
    ['CPU ms/msg: all counted, net of idle', ...sides.map((side) => side.summary.netCpuMsPerMessage.toFixed(2))],
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!))).join('  '))
    .join('\n');
}
