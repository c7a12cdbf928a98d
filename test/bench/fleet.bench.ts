// npm run bench:fleet [-- --cars 10000 --minutes 10 --interval-s 10 --cadence-s 60 --warn-cars 100 --compare-cars 1000 --pg-statements]
// The whole platform on this machine (Postgres, Redis, Mosquitto of its own; ingestion, worker and API as their own
// processes) with N registered cars, each publishing every interval from the simulator (its own process), scored
// on the given cadence. Prints each car's prediction staleness (newest sample to newest score, sampled every 30 s
// after the warm-up), reminders delivered, CPU seconds per process per 1,000 car-hours, `lost` (samples the
// broker acknowledged to the simulator that are not stored), and, for warning signs injected into `--warn-cars`
// cars halfway through the steady part, the time from publish to their score and to the owner's in-app message.
// With --compare-cars the same run is made first at that size, and both are printed side by side.
// The last line is one JSON object. A benchmark, not a test: figures depend on what else runs on the machine.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { fleetVin } from '../../apps/simulator/src/cli/vin.js';
import {
  countReminders,
  countScores,
  countStoredSamples,
  installScoreLog,
  readCarClocks,
  readInjectedVersions,
  readPunctureFollowUps,
  readWarningOutcomes,
  seedFleet,
  stalenessMs,
  type PunctureFollowUps,
  type WarningOutcome,
} from './fleet/fleet-database.js';
import { type CpuSeconds, FleetPlatform, PROCESS_NAMES, reapedChildrenCpuSeconds } from './fleet/fleet-platform.js';
import { type LatencySummary, summarize } from './fleet/latency-summary.js';
import { SimulatorProcess } from './fleet/simulator-process.js';
import { describePostgresRoles, PostgresCpuByRole, sessionsOpened } from './fleet/postgres-roles.js';
import { resetStatementStats, STATEMENT_STATS_SETTINGS, statementCostsPerScore } from './fleet/statement-costs.js';
import { readWriteCounters, writesPerScore } from './fleet/table-writes.js';
import { injectWarnings, punctureFaults, warnedPositions } from './fleet/warning-injector.js';

const { values } = parseArgs({
  options: {
    cars: { type: 'string', default: '10000' },
    minutes: { type: 'string', default: '10' },
    'interval-s': { type: 'string', default: '10' },
    'cadence-s': { type: 'string', default: '60' },
    'warn-cars': { type: 'string', default: '100' },
    'compare-cars': { type: 'string' },
    /** Staleness is sampled only after this (default: two cadences, at most half the run). */
    'warmup-s': { type: 'string' },
    /** After the simulator stops, how long to wait for the warnings' scores and messages (and the backlog). */
    'drain-s': { type: 'string', default: '60' },
    'log-level': { type: 'string', default: 'info' },
    /** Postgres' time per statement (statement-costs.ts): pg_stat_statements preloaded in the bench's Postgres. */
    'pg-statements': { type: 'boolean', default: false },
  },
});
const positiveNumber = (name: string, text: string | undefined): number => {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number (got ${String(text)})`);
  return value;
};
const minutes = positiveNumber('minutes', values.minutes);
const intervalMs = positiveNumber('interval-s', values['interval-s']) * 1000;
const cadenceMs = positiveNumber('cadence-s', values['cadence-s']) * 1000;
const warnCars = Math.floor(positiveNumber('warn-cars', values['warn-cars']));
const drainMs = positiveNumber('drain-s', values['drain-s']) * 1000;
const durationMs = minutes * 60_000;
const warmupMs = values['warmup-s'] === undefined ? Math.min(2 * cadenceMs, durationMs / 2) : positiveNumber('warmup-s', values['warmup-s']) * 1000;
const SAMPLE_EVERY_MS = 30_000;
const VIN_PREFIX = 'LBFLT';
const sizes = [
  ...(values['compare-cars'] === undefined ? [] : [Math.floor(positiveNumber('compare-cars', values['compare-cars']))]),
  Math.floor(positiveNumber('cars', values.cars)),
];

interface RunResult {
  cars: number;
  wallSeconds: number;
  carHours: number;
  staleness: LatencySummary;
  stalenessSamples: number;
  scores: number;
  cpuSeconds: CpuSeconds;
  cpuPer1000CarHours: CpuSeconds & { total: number };
  simulatorCpuSeconds: number;
  acknowledged: number;
  stored: number;
  lost: number;
  simulatorErrors: number;
  reminders: number;
  remindersDelivered: number;
  deliveriesPending: number;
  warnings: {
    injected: number;
    stored: number;
    toScore: LatencySummary;
    toOwner: LatencySummary;
    ownerByKind: Record<string, string>;
    punctures: PunctureFollowUps;
  };
  exitedApps: number;
  /** Rows written per score and their HOT share, WAL per score (table-writes.ts). */
  writes: string;
  /** Postgres' CPU split by kind of server process (postgres-roles.ts). */
  postgresByRole: string;
  /** With --pg-statements: Postgres' time per statement (statement-costs.ts). */
  statements?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const load = (): string =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

async function runOnce(cars: number): Promise<RunResult> {
  const vins = Array.from({ length: cars }, (_, i) => fleetVin(VIN_PREFIX, i + 1));
  console.log(
    `\n== ${String(cars)} cars, ${String(minutes)} min, a sample every ${String(intervalMs / 1000)} s, scoring cadence ${String(cadenceMs / 1000)} s ==`,
  );
  const statementStats = values['pg-statements'];
  const platformOptions = {
    cadenceMs,
    logLevel: values['log-level'] ?? 'info',
    startTimeoutMs: 180_000,
    ...(statementStats ? { postgresSettings: STATEMENT_STATS_SETTINGS } : {}),
  };
  const platform = await FleetPlatform.start(platformOptions, async (databaseUrl) => {
    const seedPool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    await seedFleet(seedPool, vins);
    await installScoreLog(seedPool);
    await seedPool.end();
  });
  running = platform;
  // Its connections kept open (idleTimeoutMillis 0), so the connections the bench counts are the platform's.
  const pool = new pg.Pool({ connectionString: platform.postgres.url, max: 2, idleTimeoutMillis: 0 });
  try {
    const cpuAtStart = await platform.cpuSeconds();
    const postgresRoles = new PostgresCpuByRole(platform.postmasterPid);
    await postgresRoles.sample();
    const sessionsAtStart = await sessionsOpened(pool);
    const reapedAtStart = await reapedChildrenCpuSeconds();
    const writesAtStart = await readWriteCounters(pool);
    if (statementStats) await resetStatementStats(pool);
    const startedMs = Date.now();
    const injectAtMs = Math.round(startedMs + warmupMs + (durationMs - warmupMs) / 2);
    const targets = warnedPositions(cars, warnCars).map((target) => ({ ...target, vin: vins[target.position] ?? '' }));
    const simulator = SimulatorProcess.start(
      [
        ...['--vehicles', String(cars), '--interval', String(intervalMs), '--duration', String(durationMs / 1000)],
        ...['--url', platform.mqttUrl, '--vin-prefix', VIN_PREFIX, '--clients', '4', '--drive-now', '--quiet', '--seed', '1'],
        // A puncture is not one low reading among normal ones: from the injected one on, the car's own samples say
        // the front-left tyre is flat too (warning-injector.ts).
        ...punctureFaults(targets, injectAtMs),
      ],
      { MQTT_URL: platform.mqttUrl },
    );
    const finished = simulator.finished();
    let simulatorDone = false;
    void finished.then(
      () => (simulatorDone = true),
      () => (simulatorDone = true),
    );

    const staleness: number[] = [];
    let stalenessSamples = 0;
    let injected: Awaited<ReturnType<typeof injectWarnings>> | undefined;
    const versions = new Map<string, bigint>();
    const recordVersions = async (): Promise<void> => {
      if (injected === undefined || versions.size === injected.size) return;
      const pending = new Map([...injected].filter(([vin]) => !versions.has(vin)));
      for (const [vin, version] of await readInjectedVersions(pool, pending)) versions.set(vin, version);
    };
    for (let nextSampleMs = startedMs + warmupMs; !simulatorDone;) {
      const now = Date.now();
      if (injected === undefined && now >= injectAtMs) {
        injected = await injectWarnings(platform.mqttUrl, targets, cars, intervalMs);
        console.log(`  t+${((Date.now() - startedMs) / 1000).toFixed(0)} s: ${String(injected.size)} warning signs published`);
      }
      await recordVersions();
      await postgresRoles.sample();
      if (now >= nextSampleMs && now < startedMs + durationMs) {
        const sampledMs = Date.now();
        const values = stalenessMs(await readCarClocks(pool), startedMs);
        staleness.push(...values);
        stalenessSamples += 1;
        const s = summarize(values);
        console.log(
          `  t+${((sampledMs - startedMs) / 1000).toFixed(0)} s: staleness p50 ${String(s.p50Ms)} ms, p99 ${String(s.p99Ms)} ms, ` +
            `max ${String(s.maxMs)} ms over ${String(s.count)} cars; ${String(await countScores(pool, startedMs))} scores so far; load ${load()}`,
        );
        nextSampleMs += SAMPLE_EVERY_MS;
      }
      await sleep(Math.max(100, Math.min(1000, injected === undefined ? injectAtMs - Date.now() : 1000, nextSampleMs - Date.now())));
    }
    const summary = await finished;
    const endedMs = Date.now();
    await postgresRoles.sample();
    const cpuAtEnd = await platform.cpuSeconds();
    const simulatorCpuSeconds = (await reapedChildrenCpuSeconds()) - reapedAtStart;
    const scores = await countScores(pool, startedMs);
    const writes = writesPerScore(writesAtStart, await readWriteCounters(pool), scores);
    const statements = statementStats ? await statementCostsPerScore(pool, scores) : undefined;
    const postgresByRole = describePostgresRoles(
      postgresRoles.seconds(cpuAtEnd.postgres - cpuAtStart.postgres),
      scores,
      (await sessionsOpened(pool)) - sessionsAtStart,
    );

    // Drain: the apps keep running so what was acknowledged is stored and the warnings reach their owners.
    const warned = injected ?? new Map();
    const drainUntil = Date.now() + drainMs;
    let outcomes: WarningOutcome[] = [];
    let stored = 0;
    for (;;) {
      stored = await countStoredSamples(pool, warned);
      await recordVersions();
      outcomes = await readWarningOutcomes(pool, warned, versions);
      const settled = stored >= summary.samples && outcomes.every((o) => o.scoredMs !== null && o.ownerMs !== null);
      if (settled || Date.now() >= drainUntil) break;
      await sleep(1000);
    }
    const counts = await countReminders(pool);
    const punctures = await readPunctureFollowUps(pool, new Map([...warned].filter(([, w]) => w.kind === 'pressure-drop')));
    const wallSeconds = (endedMs - startedMs) / 1000;
    const carHours = (cars * wallSeconds) / 3600;
    const cpuSeconds = Object.fromEntries(PROCESS_NAMES.map((name) => [name, cpuAtEnd[name] - cpuAtStart[name]])) as CpuSeconds;
    const per1000 = (seconds: number): number => Number(((seconds / carHours) * 1000).toFixed(1));
    const cpuPer1000CarHours = {
      ...(Object.fromEntries(PROCESS_NAMES.map((name) => [name, per1000(cpuSeconds[name])])) as CpuSeconds),
      total: per1000(PROCESS_NAMES.reduce((sum, name) => sum + cpuSeconds[name], 0)),
    };
    const publishOf = (vin: string): number => warned.get(vin)?.publishedMs ?? 0;
    const kindOf = (vin: string): string => warned.get(vin)?.kind ?? '?';
    const ownerByKind: Record<string, string> = {};
    for (const kind of ['coolant', 'fault-code', 'pressure-drop']) {
      const ofKind = outcomes.filter((o) => kindOf(o.vin) === kind);
      ownerByKind[kind] = `${String(ofKind.filter((o) => o.ownerMs !== null).length)}/${String(ofKind.length)}`;
    }
    const exited = platform.exitedApps();
    for (const log of exited) console.log(`an app exited during the run: ${log}`);
    return {
      cars,
      wallSeconds,
      carHours,
      staleness: summarize(staleness),
      stalenessSamples,
      scores,
      cpuSeconds,
      cpuPer1000CarHours,
      simulatorCpuSeconds,
      acknowledged: summary.samples,
      stored,
      lost: Math.max(0, summary.samples - stored),
      simulatorErrors: summary.errors,
      reminders: counts.reminders,
      remindersDelivered: counts.delivered,
      deliveriesPending: counts.pending,
      warnings: {
        injected: warned.size,
        stored: outcomes.filter((o) => o.storedMs !== null).length,
        toScore: summarize(outcomes.flatMap((o) => (o.scoredMs === null ? [] : [o.scoredMs - publishOf(o.vin)]))),
        toOwner: summarize(outcomes.flatMap((o) => (o.ownerMs === null ? [] : [o.ownerMs - publishOf(o.vin)]))),
        ownerByKind,
        punctures,
      },
      exitedApps: exited.length,
      writes,
      postgresByRole,
      ...(statements === undefined ? {} : { statements }),
    };
  } finally {
    await pool.end();
    await platform.stop();
    running = undefined;
  }
}

function print(result: RunResult): void {
  const s = result.staleness;
  const cpu = result.cpuSeconds;
  const needed = result.cars / (cadenceMs / 1000);
  // The worker's whole CPU (scoring, reminders, deliveries, reconciler) over the scores it made: what a score costs.
  const msPerScore = result.scores === 0 ? Number.NaN : (cpu.worker * 1000) / result.scores;
  console.log(
    `${String(result.cars)} cars over ${result.wallSeconds.toFixed(0)} s (${result.carHours.toFixed(1)} car-hours):\n` +
      `  staleness (newest sample to newest score, ${String(result.stalenessSamples)} samplings x cars): p50 ${String(s.p50Ms)} ms, ` +
      `p99 ${String(s.p99Ms)} ms, max ${String(s.maxMs)} ms (goal p99 < ${String(60 + cadenceMs / 1000)} s)\n` +
      `  scores: ${String(result.scores)} (${(result.scores / result.wallSeconds).toFixed(1)}/s; the cadence asks ${needed.toFixed(1)}/s); ` +
      `worker CPU per score ${msPerScore.toFixed(0)} ms: keeping the cadence at this size takes ${((needed * msPerScore) / 1000).toFixed(2)} ` +
      `cores of scoring (${((needed * msPerScore) / 1000 / (result.cars / 1000)).toFixed(3)} per 1,000 cars)\n` +
      (result.scores / result.wallSeconds < 0.9 * needed
        ? `  NOT KEEPING UP: the worker made ${((result.scores / result.wallSeconds / needed) * 100).toFixed(0)} % of the scores the cadence asks, so the ` +
          `staleness grows with the run and the CPU figures below are a floor (work left undone), not the cost of keeping up\n`
        : '') +
      `  CPU seconds: ${PROCESS_NAMES.map((name) => `${name} ${cpu[name].toFixed(1)}`).join(', ')}; simulator ${result.simulatorCpuSeconds.toFixed(1)} (not counted)\n` +
      `  CPU seconds per 1,000 car-hours: ${PROCESS_NAMES.map((name) => `${name} ${String(result.cpuPer1000CarHours[name])}`).join(', ')}, ` +
      `total ${String(result.cpuPer1000CarHours.total)} ` +
      `(${(PROCESS_NAMES.reduce((sum, name) => sum + cpu[name], 0) / result.wallSeconds).toFixed(2)} cores on average)\n` +
      `  ${result.writes}\n` +
      `  ${result.postgresByRole}\n` +
      (result.statements === undefined ? '' : `${result.statements}\n`) +
      `  samples acknowledged ${String(result.acknowledged)}, stored ${String(result.stored)}, lost ${String(result.lost)}, simulator errors ${String(result.simulatorErrors)}\n` +
      `  reminders ${String(result.reminders)}, in-app messages delivered ${String(result.remindersDelivered)} (${String(result.deliveriesPending)} pending)\n` +
      `  warnings: ${String(result.warnings.injected)} injected, ${String(result.warnings.stored)} stored; publish to score p50 ${String(result.warnings.toScore.p50Ms)} ms, ` +
      `p99 ${String(result.warnings.toScore.p99Ms)} ms, max ${String(result.warnings.toScore.maxMs)} ms (${String(result.warnings.toScore.count)} scored); ` +
      `to the owner's in-app message p50 ${String(result.warnings.toOwner.p50Ms)} ms, p99 ${String(result.warnings.toOwner.p99Ms)} ms, ` +
      `max ${String(result.warnings.toOwner.maxMs)} ms (${String(result.warnings.toOwner.count)} told; by kind ${JSON.stringify(result.warnings.ownerByKind)})\n` +
      `  punctures: after the injected 140 kPa reading the ${String(result.warnings.punctures.cars)} cars' own samples reported the front-left tyre ` +
      `low ${String(result.warnings.punctures.lowAfter)} times, normal ${String(result.warnings.punctures.normalAfter)} times (a normal one would contradict the fault); ` +
      `low before it ${String(result.warnings.punctures.lowBefore)} times`,
  );
}

// Interrupted (Ctrl-C, a timeout): the servers and apps it started are stopped, not left running.
let running: FleetPlatform | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: stopping the platform`);
    void (running?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

console.log(`fleet bench: ${sizes.join(' then ')} cars; load average at start ${load()}`);
const results: RunResult[] = [];
for (const cars of sizes) {
  const result = await runOnce(cars);
  print(result);
  results.push(result);
}
if (results.length === 2) {
  const [small, large] = results as [RunResult, RunResult];
  console.log(`\ncost growth ${String(small.cars)} -> ${String(large.cars)} cars (per 1,000 car-hours; linear cost = the same figure):`);
  for (const name of [...PROCESS_NAMES, 'total'] as const) {
    const a = small.cpuPer1000CarHours[name];
    const b = large.cpuPer1000CarHours[name];
    console.log(`  ${name.padEnd(10)} ${String(a).padStart(8)} -> ${String(b).padStart(8)}  (x${(b / a).toFixed(2)})`);
  }
  console.log(`  staleness p99 ${String(small.staleness.p99Ms)} -> ${String(large.staleness.p99Ms)} ms`);
}
console.log(`load average at end ${load()}`);
const main = results[results.length - 1];
if (main === undefined) throw new Error('no run');
const compare = results.length === 2 ? results[0] : undefined;
console.log(
  JSON.stringify({
    cars: main.cars,
    stalenessP50Ms: main.staleness.p50Ms,
    stalenessP99Ms: main.staleness.p99Ms,
    stalenessMaxMs: main.staleness.maxMs,
    cpuSecondsPer1000CarHours: main.cpuPer1000CarHours,
    warningToScoreP99Ms: main.warnings.toScore.p99Ms,
    warningToOwnerP99Ms: main.warnings.toOwner.p99Ms,
    remindersDelivered: main.remindersDelivered,
    lost: main.lost,
    scoresPerSec: Number((main.scores / main.wallSeconds).toFixed(2)),
    scoresNeededPerSec: Number((main.cars / (cadenceMs / 1000)).toFixed(2)),
    workerCpuMsPerScore: main.scores === 0 ? null : Math.round((main.cpuSeconds.worker * 1000) / main.scores),
    loadAverage: loadavg().map((value) => Number(value.toFixed(2))),
    ...(compare === undefined
      ? {}
      : {
          compare: {
            cars: compare.cars,
            stalenessP99Ms: compare.staleness.p99Ms,
            cpuSecondsPer1000CarHours: compare.cpuPer1000CarHours,
            lost: compare.lost,
          },
        }),
  }),
);
