// Pure helpers of the fleet bench (no servers): percentiles, /proc stat parsing and process-tree CPU, staleness,
// the simulator's summary line and the injected warnings' seqs.
import { PROMPT_SCORE_LIMITS } from '../../../apps/ingestion/src/pipeline/prompt-score.policy.js';
import { stalenessMs } from './fleet-database.js';
import { percentile, summarize } from './latency-summary.js';
import { describePostgresRoles, roleOfTitle } from './postgres-roles.js';
import { parseProcStat, type ProcStat, processCpuSeconds, treeCpuSeconds } from './proc-stat.js';
import { parseSimulatorSummary } from './simulator-process.js';
import { injectedSeq, punctureFaults, warnedPositions, warningSample } from './warning-injector.js';

describe('latency summary', () => {
  it('takes nearest-rank percentiles: the smallest value with at least q of the values at or below it', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 0.5)).toBe(50);
    expect(percentile(hundred, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([1, 2, 3], 0.5)).toBe(2);
    expect(percentile([], 0.5)).toBeNull();
  });

  it('sorts before it ranks, rounds to whole ms, and says null when there is nothing', () => {
    expect(summarize([30.4, 10.2, 20.6, 1000.5])).toEqual({ count: 4, p50Ms: 21, p99Ms: 1001, maxMs: 1001 });
    expect(summarize([])).toEqual({ count: 0, p50Ms: null, p99Ms: null, maxMs: null });
  });
});

describe("Postgres' processes by role", () => {
  it('tells a server process by its title (as /proc/<pid>/cmdline gives it, NULs made spaces)', () => {
    expect(roleOfTitle('postgres: carhealth carhealth 127.0.0.1(51234) idle ')).toBe('client backends');
    expect(roleOfTitle('postgres: carhealth carhealth [local] SELECT ')).toBe('client backends');
    expect(roleOfTitle('postgres: autovacuum worker carhealth ')).toBe('autovacuum');
    expect(roleOfTitle('postgres: autovacuum launcher ')).toBe('autovacuum');
    expect(roleOfTitle('postgres: walwriter ')).toBe('wal writer');
    expect(roleOfTitle('postgres: checkpointer ')).toBe('checkpointer and background writer');
    expect(roleOfTitle('postgres: background writer ')).toBe('checkpointer and background writer');
    expect(roleOfTitle('postgres: logical replication launcher ')).toBe('other');
  });

  it('prints each role with its share and milliseconds per score', () => {
    const line = describePostgresRoles(
      { 'client backends': 6, autovacuum: 2, 'wal writer': 1, 'checkpointer and background writer': 0.5, other: 0, 'not attributed': 0.5 },
      1000,
      25,
    );
    expect(line).toBe(
      'Postgres CPU by process: client backends 6.0 s (60 %, 6.00 ms/score), autovacuum 2.0 s (20 %, 2.00 ms/score), ' +
        'wal writer 1.0 s (10 %, 1.00 ms/score), checkpointer and background writer 0.5 s (5 %, 0.50 ms/score), other 0.0 s (0 %, 0.00 ms/score), ' +
        'not attributed 0.5 s (5 %, 0.50 ms/score); 25 connections opened (0.025 per score)',
    );
  });
});

describe('/proc/<pid>/stat', () => {
  // A real line (postgres checkpointer), with a command name holding a space and parentheses.
  const line =
    '4242 (postgres: (checkpointer) x) S 4200 4200 4200 0 -1 4194624 1195 0 0 0 312 145 27 9 20 0 1 0 1769 225267712 3021 18446744073709551615 1 1 0 0 0 0 0 16781318 536872579 0 0 0 17 1 0 0 0 0 0';

  it('counts fields from the last parenthesis: ppid, utime, stime, cutime, cstime', () => {
    expect(parseProcStat(line)).toEqual({ pid: 4242, ppid: 4200, utime: 312, stime: 145, cutime: 27, cstime: 9 });
  });

  it('refuses what is not a stat line', () => {
    expect(() => parseProcStat('garbage')).toThrow('not a /proc/<pid>/stat line');
    expect(() => parseProcStat('12 (node) S 1')).toThrow('field 14 missing');
  });

  const stat = (pid: number, ppid: number, utime: number, stime: number, cutime = 0, cstime = 0): ProcStat => ({
    pid,
    ppid,
    utime,
    stime,
    cutime,
    cstime,
  });

  it('sums a tree: the root, its reaped children (cutime, cstime) and its live children, in seconds of 100 ticks', () => {
    const stats = [stat(100, 1, 50, 10, 200, 40), stat(101, 100, 300, 100), stat(102, 100, 5, 5), stat(103, 999, 7000, 7000)];
    expect(treeCpuSeconds(100, stats)).toBeCloseTo((50 + 10 + 200 + 40 + 300 + 100 + 5 + 5) / 100, 6);
    expect(processCpuSeconds(101, stats)).toBeCloseTo(4, 6);
  });

  it('a backend that exits between two readings keeps its time in the difference (it moves to the root cutime)', () => {
    const before = [stat(100, 1, 50, 10), stat(101, 100, 300, 100)];
    const after = [stat(100, 1, 60, 10, 500, 150)];
    expect(treeCpuSeconds(100, after) - treeCpuSeconds(100, before)).toBeCloseTo((10 + 200 + 50) / 100, 6);
  });

  it('is NaN for a process that is gone', () => {
    expect(treeCpuSeconds(5, [])).toBeNaN();
    expect(processCpuSeconds(5, [])).toBeNaN();
  });
});

describe('staleness', () => {
  it('is how much newer the newest sample is than the newest score, 0 when the score is newer', () => {
    const cars = [
      { lastSampleMs: 100_000, lastScoredMs: 40_000 },
      { lastSampleMs: 100_000, lastScoredMs: 100_500 },
      { lastSampleMs: 100_000, lastScoredMs: null },
      { lastSampleMs: null, lastScoredMs: null },
    ];
    expect(stalenessMs(cars, 10_000)).toEqual([60_000, 0, 90_000]);
  });
});

describe('simulator summary', () => {
  it('reads the acknowledged counts of the closing line, with thousands separators', () => {
    const output =
      'sim: 1,000 vehicles, 5 sent\nsim: done in 300.2 s: 1,000 vehicles, 30,012 messages (30,012 samples), 100 msg/s average, 3 errors, 0 reconnects\n';
    expect(parseSimulatorSummary(output)).toEqual({ messages: 30012, samples: 30012, errors: 3 });
    expect(parseSimulatorSummary('sim: SIGTERM, stopping')).toBeUndefined();
  });
});

describe('warning injection', () => {
  it('spreads the warned cars over the fleet and takes the three signs in turn', () => {
    expect(warnedPositions(10, 4)).toEqual([
      { position: 0, kind: 'coolant' },
      { position: 2, kind: 'fault-code' },
      { position: 5, kind: 'pressure-drop' },
      { position: 7, kind: 'coolant' },
    ]);
    expect(warnedPositions(2, 100)).toHaveLength(2);
  });

  it("never takes a seq on the car's simulator grid (the same seq would be stored once)", () => {
    // 4 cars every 10 s: car 1 reports at ...2500 ms offsets of the 10 s grid.
    expect(injectedSeq(1_700_000_002_500, 1, 4, 10_000)).toBe(1_700_000_002_501);
    expect(injectedSeq(1_700_000_002_499, 1, 4, 10_000)).toBe(1_700_000_002_499);
    expect(injectedSeq(1_700_000_000_000, 0, 4, 10_000)).toBe(1_700_000_000_001);
  });

  it("punctures the pressure-drop cars' front-left tyre in the simulator from the injection on (fleet index = position + 1)", () => {
    expect(punctureFaults(warnedPositions(10, 4), 1_700_000_000_000.4)).toEqual(['--fault', '6:puncture:@1700000000000']);
  });

  it("crosses one of ingestion's prompt-score limits with each sign", () => {
    expect(warningSample('coolant', 0, 1)).toEqual({ ts: '1970-01-01T00:00:00.000Z', seq: 1, coolantTempC: 112, dtcs: ['P0217'] });
    expect(112).toBeGreaterThanOrEqual(PROMPT_SCORE_LIMITS.coolantC);
    expect(warningSample('fault-code', 0, 1)).toEqual({ ts: '1970-01-01T00:00:00.000Z', seq: 1, dtcs: ['P0301'] });
    expect(warningSample('pressure-drop', 0, 1)).toEqual({ ts: '1970-01-01T00:00:00.000Z', seq: 1, tires: { FL: { pressureKpa: 140 } } });
    expect(140).toBeLessThan(PROMPT_SCORE_LIMITS.tirePressureKpa);
  });
});
