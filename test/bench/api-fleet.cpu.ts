// Where a request's CPU goes under `npm run bench:api -- --fleet`: the whole machine, the API's thread, the rest of
// the bench process (the clients' worker thread, libuv's and V8's helper threads) and Postgres, per request, from
// /proc over one measured load. On the 2 cores of the dev machine all of these compete, so the machine's CPU per
// request is what bounds the requests/s (2,000 ms of CPU per second / ms per request) and so the p95 at 32 in flight.
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import type pg from 'pg';
import { CLOCK_TICKS_PER_SECOND, parseProcStat, readAllProcStats, readProcStat, treeCpuSeconds } from './fleet/proc-stat.js';

/** CPU ms per request over one measured load; Postgres and the machine include whatever else ran meanwhile. */
export interface CpuPerRequest {
  /** Every core's busy time (/proc/stat: all but idle and iowait). */
  machineMs: number;
  /** The API's event loop thread: what one API process can give per second is 1,000 ms / this. */
  apiThreadMs: number;
  /** The rest of this process: the load generator's thread (fetch), GC helpers, libuv's pool. */
  restOfBenchMs: number;
  /** The Postgres backends of the bench's database (its queries, and an autovacuum of its tables if one ran). */
  postgresMs: number;
  /** The whole Postgres server (with other databases' work: the dev server is shared). */
  postgresServerMs: number;
  /** os.loadavg() at the end. */
  load: number[];
}

interface Snapshot {
  machineTicks: number;
  apiThreadTicks: number;
  processTicks: number;
  postgresSeconds: number;
  /** CPU ticks of each backend on the bench's database. */
  backendTicks: Map<number, number>;
}

/** Busy ticks of all cores: user nice system idle iowait irq softirq steal ... (proc(5)). */
async function machineBusyTicks(): Promise<number> {
  const [cpu] = (await readFile('/proc/stat', 'utf8')).split('\n', 1);
  const ticks = (cpu ?? '').trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
  return user + nice + system + irq + softirq + steal;
}

export class CpuMeter {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly postmasterPid: number | null,
  ) {}

  /** The Postgres server is the parent of the backend serving `pool` (same machine: the bench's 127.0.0.1). */
  static async of(pool: pg.Pool): Promise<CpuMeter> {
    const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const backend = rows[0] === undefined ? undefined : await readProcStat(rows[0].pid);
    return new CpuMeter(pool, backend?.ppid ?? null);
  }

  /** The bench database's backends but the one asking (the API's pool, autovacuum workers on it). */
  private async backendTicks(): Promise<Map<number, number>> {
    const { rows } = await this.pool.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    const stats = await Promise.all(rows.map(({ pid }) => readProcStat(pid)));
    return new Map(stats.filter((stat) => stat !== undefined).map((stat) => [stat.pid, stat.utime + stat.stime]));
  }

  async snapshot(): Promise<Snapshot> {
    const [machineTicks, apiThread, own, stats, backendTicks] = await Promise.all([
      machineBusyTicks(),
      // The main thread's task has the process's id.
      readFile(`/proc/${String(process.pid)}/task/${String(process.pid)}/stat`, 'utf8'),
      readProcStat(process.pid),
      this.postmasterPid === null ? Promise.resolve([]) : readAllProcStats(),
      this.backendTicks(),
    ]);
    const thread = parseProcStat(apiThread);
    return {
      machineTicks,
      apiThreadTicks: thread.utime + thread.stime,
      processTicks: own === undefined ? Number.NaN : own.utime + own.stime,
      postgresSeconds: this.postmasterPid === null ? Number.NaN : treeCpuSeconds(this.postmasterPid, stats),
      backendTicks,
    };
  }

  async perRequest(since: Snapshot, requests: number): Promise<CpuPerRequest> {
    const now = await this.snapshot();
    const ms = (ticks: number): number => Number(((ticks * 1000) / CLOCK_TICKS_PER_SECOND / requests).toFixed(2));
    const apiThreadTicks = now.apiThreadTicks - since.apiThreadTicks;
    // A backend that started during the load counts from 0; one that ended during it is missed (the pool keeps its
    // connections while busy).
    let backendTicks = 0;
    for (const [pid, ticks] of now.backendTicks) backendTicks += ticks - (since.backendTicks.get(pid) ?? 0);
    return {
      machineMs: ms(now.machineTicks - since.machineTicks),
      apiThreadMs: ms(apiThreadTicks),
      restOfBenchMs: ms(now.processTicks - since.processTicks - apiThreadTicks),
      postgresMs: ms(backendTicks),
      postgresServerMs: Number((((now.postgresSeconds - since.postgresSeconds) * 1000) / requests).toFixed(2)),
      load: loadavg().map((value) => Number(value.toFixed(2))),
    };
  }
}
