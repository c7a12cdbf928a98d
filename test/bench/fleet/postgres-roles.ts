// Where the bench's Postgres CPU goes by kind of server process: the backends running the platform's statements, the
// autovacuum workers cleaning up after them, the WAL writer, the checkpointer and background writer. The per-statement
// table (--pg-statements) covers only the first; this says how much of Postgres' CPU is the rest.
import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import { CLOCK_TICKS_PER_SECOND, type ProcStat, readAllProcStats } from './proc-stat.js';

export const POSTGRES_ROLES = ['client backends', 'autovacuum', 'wal writer', 'checkpointer and background writer', 'other'] as const;
export type PostgresRole = (typeof POSTGRES_ROLES)[number];

/** A server process's kind, from the title Postgres gives it ("postgres: autovacuum worker carhealth", ...). */
export function roleOfTitle(title: string): PostgresRole {
  if (title.includes('autovacuum')) return 'autovacuum';
  if (title.includes('walwriter')) return 'wal writer';
  if (title.includes('checkpointer') || title.includes('background writer')) return 'checkpointer and background writer';
  // A backend's title names its user, database and client address: "postgres: carhealth carhealth 127.0.0.1(5432) idle".
  if (/\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]/.test(title)) return 'client backends';
  return 'other';
}

interface Tracked {
  role: PostgresRole;
  /** Ticks when first seen (0 for a process started after the first sampling: all its time falls in the run). */
  baseline: number;
  latest: number;
}

/**
 * Samples the postmaster's children (call `sample()` every second or so) and adds up each one's CPU since the first
 * sampling by role. A process that ends between two samplings loses the time since the last one (an autovacuum worker
 * usually lives for seconds); the remainder against the whole tree's time is reported as not attributed.
 */
export class PostgresCpuByRole {
  private readonly tracked = new Map<number, Tracked>();
  private started = false;

  constructor(private readonly postmasterPid: number) {}

  async sample(): Promise<void> {
    const children = (await readAllProcStats()).filter((stat) => stat.ppid === this.postmasterPid);
    for (const child of children) await this.track(child);
    this.started = true;
  }

  private async track(stat: ProcStat): Promise<void> {
    const ticks = stat.utime + stat.stime;
    const known = this.tracked.get(stat.pid);
    if (known !== undefined) {
      known.latest = ticks;
      return;
    }
    const title = await readFile(`/proc/${String(stat.pid)}/cmdline`, 'utf8').catch(() => '');
    this.tracked.set(stat.pid, { role: roleOfTitle(title.replaceAll('\0', ' ')), baseline: this.started ? 0 : ticks, latest: ticks });
  }

  /** CPU seconds per role since the first sampling, and what the tree used beyond them (`treeSeconds`: its delta). */
  seconds(treeSeconds: number): Record<PostgresRole | 'not attributed', number> {
    const byRole = Object.fromEntries(POSTGRES_ROLES.map((role) => [role, 0])) as Record<PostgresRole, number>;
    for (const { role, baseline, latest } of this.tracked.values()) byRole[role] += (latest - baseline) / CLOCK_TICKS_PER_SECOND;
    const attributed = POSTGRES_ROLES.reduce((sum, role) => sum + byRole[role], 0);
    return { ...byRole, 'not attributed': Math.max(0, treeSeconds - attributed) };
  }
}

/**
 * Connections opened to the bench's database so far (pg_stat_database.sessions, Postgres 14+). A new connection is a
 * new backend process: a fork, the password exchange, its catalogue caches filled again and every prepared statement
 * planned again, so a pool that closes idle connections and reopens them pays that over and over.
 */
export async function sessionsOpened(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ sessions: string }>('SELECT sessions FROM pg_stat_database WHERE datname = current_database()');
  return Number(rows[0]?.sessions ?? Number.NaN);
}

/** One line: each role's share of the server's CPU and its milliseconds per score. */
export function describePostgresRoles(seconds: Record<PostgresRole | 'not attributed', number>, scores: number, sessions: number): string {
  const total = Object.values(seconds).reduce((sum, value) => sum + value, 0);
  const parts = Object.entries(seconds).map(
    ([role, value]) =>
      `${role} ${value.toFixed(1)} s (${total > 0 ? ((value / total) * 100).toFixed(0) : '0'} %, ${scores > 0 ? ((value * 1000) / scores).toFixed(2) : '-'} ms/score)`,
  );
  return `Postgres CPU by process: ${parts.join(', ')}; ${String(sessions)} connections opened (${(sessions / Math.max(1, scores)).toFixed(3)} per score)`;
}
