// A score whose findings ask for no reminder, on a car with no active one, runs no reminder transaction: the save
// marks the car scored in its own statement. A score that can change a reminder (a finding to remind about, an
// active reminder, snoozed or not) still runs the evaluation after the save and marks the car only after it.
// The real worker (WorkerModule) against Postgres and Redis; the evaluation and markScored are watched on the
// worker's own instances, and they still run for real.
import { jest } from '@jest/globals';
import type { PrismaClient } from '#app/database';
import { COMPONENTS } from '#app/maintenance/vocabulary';
import { ReminderEvaluationService } from '../../apps/worker/src/reminders/reminder-evaluation.service.js';
import { PredictionStore } from '../../apps/worker/src/scoring/prediction.store.js';
import type { VehicleScoringService } from '../../apps/worker/src/scoring/vehicle-scoring.service.js';
import { createFleet } from '../support/fixtures.js';
import { inspectTires } from './support/reminder-scenario.js';
import { type ReminderWorker, startReminderWorker } from './support/reminder-worker.harness.js';

const REMINDABLE = ['SOON', 'URGENT', 'CRITICAL'];
const DAY_MS = 86_400_000;

describe('the reminder evaluation after a score', () => {
  let harness: ReminderWorker;
  let prisma: PrismaClient;
  let scoring: VehicleScoringService;
  let evaluation: ReminderEvaluationService;
  let store: PredictionStore;

  beforeAll(async () => {
    harness = await startReminderWorker('quiet-scoring');
    ({ prisma, scoring } = harness);
    evaluation = harness.worker.get(ReminderEvaluationService);
    store = harness.worker.get(PredictionStore);
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await harness?.close();
  });

  const markOf = (vehicleId: string) =>
    prisma.vehicle.findUniqueOrThrow({ where: { id: vehicleId }, select: { scoredVersion: true, lastScoredAt: true, lateSampleTs: true } });

  /**
   * Watches the worker's evaluation and markScored for one car (both still run): for each evaluation, the car's
   * mark and how many of its predictions carried the score's time when it began.
   */
  function watch(vehicleId: string) {
    const evaluations: { mark: Awaited<ReturnType<typeof markOf>>; savedPredictions: number }[] = [];
    const evaluate = evaluation.evaluate.bind(evaluation);
    jest.spyOn(evaluation, 'evaluate').mockImplementation(async (id: string, now: Date) => {
      if (id === vehicleId) {
        evaluations.push({ mark: await markOf(id), savedPredictions: await prisma.prediction.count({ where: { vehicleId: id, scoredAt: now } }) });
      }
      return evaluate(id, now);
    });
    const markScored = jest.spyOn(store, 'markScored');
    return { evaluations, markScoredCalls: () => markScored.mock.calls.filter(([id]) => id === vehicleId).length };
  }

  const remindableFindings = async (vehicleId: string) =>
    (await prisma.prediction.findMany({ where: { vehicleId } })).flatMap((p) =>
      (p.findings as { code: string; subject: string; risk: string }[])
        .filter((f) => REMINDABLE.includes(f.risk))
        .map((f) => `${p.component}:${f.code}:${f.subject}`),
    );

  it('scores a healthy car without the reminder transaction and marks it scored in the save', async () => {
    const vehicleId = (await createFleet(prisma, 1)).vehicles[0]!.id;
    const now = new Date();
    // Every wheel worn alike and far from the limit (one wheel wearing faster would be uneven wear, a SOON need).
    await inspectTires(prisma, vehicleId, now, 7.4, { FR: 7.4, RL: 7.4, RR: 7.4 });
    // Telemetry up to version 5 with a late sample: the mark records the version and clears the late sample.
    await prisma.vehicle.update({ where: { id: vehicleId }, data: { telemetryVersion: 5n, lateSampleTs: new Date(now.getTime() - DAY_MS) } });
    const watched = watch(vehicleId);

    expect(await scoring.score(vehicleId, now)).toMatchObject({ status: 'done' });

    const predictions = await prisma.prediction.findMany({ where: { vehicleId }, select: { component: true, scoredAt: true } });
    expect(predictions.map((p) => p.component).sort()).toEqual([...COMPONENTS].sort());
    expect(predictions.every((p) => p.scoredAt.getTime() === now.getTime())).toBe(true);
    // What makes the car healthy here: nothing it stored asks for a reminder.
    expect(await remindableFindings(vehicleId)).toEqual([]);
    expect(watched.evaluations).toEqual([]);
    expect(watched.markScoredCalls()).toBe(0);
    expect(await markOf(vehicleId)).toEqual({ scoredVersion: 5n, lastScoredAt: now, lateSampleTs: null });
    expect(await prisma.reminder.count({ where: { vehicleId } })).toBe(0);
  });

  it('runs the evaluation for a car with a finding after the save and marks the car only after it: the reminder is created', async () => {
    const vehicleId = (await createFleet(prisma, 1)).vehicles[0]!.id;
    const now = new Date();
    await inspectTires(prisma, vehicleId, now, 2.8);
    await prisma.vehicle.update({ where: { id: vehicleId }, data: { telemetryVersion: 3n } });
    const watched = watch(vehicleId);

    await scoring.score(vehicleId, now);

    // When the evaluation began: every prediction saved, the car not marked yet.
    expect(watched.evaluations).toEqual([
      { mark: { scoredVersion: 0n, lastScoredAt: null, lateSampleTs: null }, savedPredictions: COMPONENTS.length },
    ]);
    expect(watched.markScoredCalls()).toBe(1);
    expect(await markOf(vehicleId)).toEqual({ scoredVersion: 3n, lastScoredAt: now, lateSampleTs: null });
    expect(await prisma.reminder.findMany({ where: { vehicleId }, select: { component: true, status: true, risk: true } })).toEqual([
      { component: 'TIRES', status: 'OPEN', risk: 'SOON' },
    ]);
  });

  it('evaluates a car whose active reminder, snoozed, lost its finding, and closes it; the next score skips the transaction', async () => {
    const fleet = await createFleet(prisma, 1);
    const vehicleId = fleet.vehicles[0]!.id;
    const t0 = new Date(Date.now() - 60_000);
    await inspectTires(prisma, vehicleId, t0, 2.8);
    await scoring.score(vehicleId, t0);
    const reminder = await prisma.reminder.findFirstOrThrow({ where: { vehicleId } });
    // Snoozed for a day, as the API does it: still active.
    const until = new Date(t0.getTime() + DAY_MS);
    await prisma.reminder.update({ where: { id: reminder.id }, data: { status: 'SNOOZED', snoozedUntil: until, nextNotifyAt: until } });
    // The tyre is replaced: the next score shows no need.
    await prisma.serviceRecord.create({
      data: {
        vehicleId,
        serviceCenterId: fleet.serviceCenterId,
        kind: 'TIRE_REPLACEMENT',
        performedAt: t0,
        positions: ['FL'],
        reminderId: reminder.id,
      },
    });
    const watched = watch(vehicleId);

    const t1 = new Date(t0.getTime() + 30_000);
    await scoring.score(vehicleId, t1);
    expect(await remindableFindings(vehicleId)).toEqual([]);
    expect(watched.evaluations).toHaveLength(1);
    expect(watched.markScoredCalls()).toBe(1);
    expect(await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id }, select: { status: true, closedAt: true } })).toEqual({
      status: 'RESOLVED',
      closedAt: t1,
    });

    // Nothing active and nothing to remind about: no transaction, marked by the save.
    const t2 = new Date(t1.getTime() + 30_000);
    await scoring.score(vehicleId, t2);
    expect(watched.evaluations).toHaveLength(1);
    expect(watched.markScoredCalls()).toBe(1);
    expect((await markOf(vehicleId)).lastScoredAt).toEqual(t2);
  });
});
