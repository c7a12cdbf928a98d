// Pure helpers of bench:cluster (no servers): side order, CPU per group from /proc readings, summaries, the table.
import type { ProcStat } from '../fleet/proc-stat.js';
import type { PhaseResult } from '../ingest/stored-telemetry.js';
import { cpuSecondsBetween, groupCpuSeconds, type SidePhase, sideBySideTable, sideOrder, summarizeSide } from './side-by-side.js';

const stat = (pid: number, ppid: number, utime: number, stime: number, cutime = 0, cstime = 0): ProcStat => ({
  pid,
  ppid,
  utime,
  stime,
  cutime,
  cstime,
});
const result = (overrides: Partial<PhaseResult> = {}): PhaseResult => ({
  published: 1000,
  stored: 1000,
  distinct: 1000,
  messagesPerSec: 500,
  p50Ms: 20,
  p99Ms: 90,
  ...overrides,
});
const phase = (overrides: Partial<PhaseResult>, cpuSeconds: Record<string, number>): SidePhase => ({
  result: result(overrides),
  publishSeconds: 2,
  cpuSeconds,
  cpuWindowSeconds: 4,
  idleCoreShare: Object.fromEntries(Object.keys(cpuSeconds).map((group) => [group, 0.05])),
  load: [1, 1, 1],
});

describe('side order', () => {
  it('runs a, b, b, a each round, so a drift of the load falls on both sides alike', () => {
    expect(sideOrder(1, 3, 1)).toEqual([1, 3, 3, 1]);
    expect(sideOrder(1, 3, 2)).toEqual([1, 3, 3, 1, 1, 3, 3, 1]);
  });
});

describe('CPU of process groups', () => {
  const groups = [
    { name: 'ingestion', pids: [10, 11, 12] },
    { name: 'postgres', pids: [100], tree: true },
  ];

  it('sums a group over its processes, and a tree over the root, its reaped and its live children (100 ticks a second)', () => {
    const stats = [
      stat(10, 1, 100, 20),
      stat(11, 1, 50, 10),
      stat(12, 1, 30, 0),
      stat(100, 1, 5, 5, 40, 10),
      stat(101, 100, 200, 100),
      stat(999, 1, 9000, 0),
    ];
    const seconds = groupCpuSeconds(groups, stats);
    expect(Object.keys(seconds)).toEqual(['ingestion', 'postgres']);
    expect(seconds.ingestion).toBeCloseTo(2.1, 6);
    expect(seconds.postgres).toBeCloseTo(3.6, 6);
  });

  it('takes the difference of two readings; a backend that exited in between keeps its time (in the root cutime)', () => {
    const before = groupCpuSeconds(groups, [stat(10, 1, 100, 0), stat(11, 1, 0, 0), stat(12, 1, 0, 0), stat(100, 1, 0, 0), stat(101, 100, 300, 0)]);
    const after = groupCpuSeconds(groups, [stat(10, 1, 150, 0), stat(11, 1, 25, 0), stat(12, 1, 25, 0), stat(100, 1, 10, 0, 400, 0)]);
    const spent = cpuSecondsBetween(before, after);
    expect(spent.ingestion).toBeCloseTo(1, 6);
    expect(spent.postgres).toBeCloseTo(1.1, 6);
  });

  it('is NaN for a group one of whose processes is gone (a replica restarted mid-phase is not a figure)', () => {
    const before = groupCpuSeconds(groups, [stat(10, 1, 1, 0), stat(11, 1, 1, 0), stat(12, 1, 1, 0), stat(100, 1, 1, 0)]);
    const after = groupCpuSeconds(groups, [stat(10, 1, 2, 0), stat(11, 1, 2, 0), stat(100, 1, 2, 0)]);
    expect(cpuSecondsBetween(before, after).ingestion).toBeNaN();
    expect(cpuSecondsBetween({}, after).postgres).toBeNaN();
  });
});

describe('a side over its phases', () => {
  it('takes medians of rate and latency, totals of lost and duplicated, and CPU per message pooled over all rows', () => {
    const summary = summarizeSide([
      phase({ stored: 1000, distinct: 1000, messagesPerSec: 400, p50Ms: 10, p99Ms: 100 }, { ingestion: 1, broker: 2 }),
      phase({ published: 3000, stored: 3002, distinct: 2999, messagesPerSec: 600, p50Ms: 30, p99Ms: 300 }, { ingestion: 3, broker: 2 }),
    ]);
    expect(summary).toEqual({
      phases: 2,
      // 1,000 and 3,000 acknowledged in 2 s each.
      acceptedPerSec: 1000,
      messagesPerSec: 500,
      p50Ms: 20,
      p99Ms: 200,
      lost: 1,
      duplicated: 3,
      // (1 + 3) s over 4,002 rows; (2 + 2) s likewise.
      cpuMsPerMessageByGroup: { ingestion: 1, broker: 1 },
      cpuMsPerMessage: 2,
      idlePercentByGroup: { ingestion: 5, broker: 5 },
      // Idle: 5 % of a core over 4 s, for 2 groups in 2 phases, is 0.8 s of the 8.
      netCpuMsPerMessage: 1.8,
    });
  });

  it('puts the sides in columns, with a dash where a side has no such process', () => {
    const cluster = summarizeSide([phase({}, { ingestion: 1, 'NATS node 1': 0.5 })]);
    const single = summarizeSide([phase({ messagesPerSec: 1200 }, { ingestion: 1.5, Mosquitto: 0.25 })]);
    const table = sideBySideTable([
      { label: 'NATS', summary: cluster },
      { label: 'Mosquitto', summary: single },
    ]).split('\n');
    expect(table[0]).toMatch(/^\s+NATS\s+Mosquitto$/);
    expect(table).toContainEqual(expect.stringMatching(/^accepted msg\/s \(PUBACKs, median\)\s+500\s+500$/));
    expect(table).toContainEqual(expect.stringMatching(/^stored msg\/s \(median\)\s+500\s+1200$/));
    expect(table).toContainEqual(expect.stringMatching(/^CPU ms\/msg \(idle % of a core\): NATS node 1\s+0\.50 \(5%\)\s+-$/));
    expect(table).toContainEqual(expect.stringMatching(/^CPU ms\/msg \(idle % of a core\): Mosquitto\s+-\s+0\.25 \(5%\)$/));
    expect(table).toContainEqual(expect.stringMatching(/^CPU ms\/msg: all counted\s+1\.50\s+1\.75$/));
    expect(table.at(-1)).toMatch(/^CPU ms\/msg: all counted, net of idle\s+1\.10\s+1\.35$/);
  });
});
