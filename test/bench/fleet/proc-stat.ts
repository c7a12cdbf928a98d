import { readdir, readFile } from 'node:fs/promises';

/** The fields of /proc/<pid>/stat this bench needs, in clock ticks (USER_HZ). */
export interface ProcStat {
  pid: number;
  ppid: number;
  /** Time in user and kernel mode of the process itself. */
  utime: number;
  stime: number;
  /** Time of its children that exited and were waited for (how a Postgres backend's CPU outlives it). */
  cutime: number;
  cstime: number;
}

/**
 * Parses one /proc/<pid>/stat line. The command name (field 2) is in parentheses and may itself hold spaces and
 * parentheses, so the fields are counted from the last `)`: state is field 3, ppid 4, utime 14, stime 15,
 * cutime 16, cstime 17 (proc(5)).
 */
export function parseProcStat(line: string): ProcStat {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${line.slice(0, 80)}`);
  const pid = Number(line.slice(0, open).trim());
  const rest = line
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state): field n is rest[n - 3].
  const field = (n: number): number => {
    const value = Number(rest[n - 3]);
    if (!Number.isFinite(value)) throw new Error(`field ${String(n)} missing in /proc/${String(pid)}/stat`);
    return value;
  };
  return { pid, ppid: field(4), utime: field(14), stime: field(15), cutime: field(16), cstime: field(17) };
}

/** USER_HZ: 100 on every Linux architecture Node runs on (sysconf(_SC_CLK_TCK); `getconf CLK_TCK` says so here). */
export const CLOCK_TICKS_PER_SECOND = 100;

export async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(`/proc/${String(pid)}/stat`, 'utf8'));
  } catch {
    return undefined; // the process is gone
  }
}

/** Every live process's stat (for finding a server's children by their parent pid). */
export async function readAllProcStats(): Promise<ProcStat[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  const stats = await Promise.all(pids.map(readProcStat));
  return stats.filter((stat): stat is ProcStat => stat !== undefined);
}

/**
 * CPU seconds used so far by a process tree: the root's own time plus that of its children that exited (cutime,
 * cstime) plus the live children's own time. For Postgres (the postmaster and its backends and background
 * processes) this counts a backend's work whether or not it exited during the measurement.
 */
export function treeCpuSeconds(rootPid: number, stats: readonly ProcStat[]): number {
  const root = stats.find((stat) => stat.pid === rootPid);
  if (root === undefined) return Number.NaN;
  const children = stats.filter((stat) => stat.ppid === rootPid);
  const ticks = root.utime + root.stime + root.cutime + root.cstime + children.reduce((sum, child) => sum + child.utime + child.stime, 0);
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** CPU seconds of one process (its children not counted). */
export function processCpuSeconds(pid: number, stats: readonly ProcStat[]): number {
  const stat = stats.find((s) => s.pid === pid);
  return stat === undefined ? Number.NaN : (stat.utime + stat.stime) / CLOCK_TICKS_PER_SECOND;
}
