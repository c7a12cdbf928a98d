// The scoring store against real Postgres: one score's predictions, states and history snapshots written in
// one statement. A rerun of the same job rewrites the same rows; a snapshot is added only when something an
// owner would notice changed (risk, health by 5, due date by a day) or once a day.
import { PrismaService, type PrismaClient } from '#app/database';
import { loadWorkerConfig } from '#app/config';
import type { ComponentAssessment } from '#app/maintenance';
import { ACTIVE_STATUSES, REMINDER_STATUSES } from '#app/notifications';
import { ModelStateCache } from '../../apps/worker/src/scoring/model-state.cache.js';
import { PredictionStore, type ScoredComponent } from '../../apps/worker/src/scoring/prediction.store.js';
import { createFleet } from '../support/fixtures.js';
import { DAY, HOUR, type Scored, scoredComponent } from '../support/scored-components.js';
import { testEnv } from '../support/test-env.js';

describe(PredictionStore.name, () => {
  const prisma = new PrismaService(loadWorkerConfig({ ...process.env, DATABASE_URL: testEnv.databaseUrl }));
  const sut = new PredictionStore(prisma);

  afterAll(async () => {
    await prisma.$disconnect();
  });

  /** Every row the store wrote for the vehicle, without the ids and write times a rerun cannot keep. */
  async function rowsOf(client: PrismaClient, vehicleId: string) {
    const predictions = await client.prediction.findMany({ where: { vehicleId }, orderBy: { component: 'asc' }, omit: { id: true } });
    const states = await client.vehicleModelState.findMany({ where: { vehicleId }, orderBy: { component: 'asc' }, omit: { updatedAt: true } });
    const snapshots = await client.predictionSnapshot.findMany({ where: { vehicleId }, orderBy: [{ scoredAt: 'asc' }, { component: 'asc' }] });
    return { predictions, states, snapshots };
  }
  const snapshotsOf = (vehicleId: string) =>
    prisma.predictionSnapshot.findMany({
      where: { vehicleId },
      orderBy: [{ scoredAt: 'asc' }, { component: 'asc' }],
      select: { component: true, scoredAt: true, risk: true, health: true },
    });

  it('writes predictions, states and a first snapshot per component; a rerun of the same score rewrites the same rows', async () => {
    const vehicleId = (await createFleet(prisma, 1)).vehicles[0]!.id;
    const at = new Date('2026-12-01T10:00:00.000Z');
    const dueAt = new Date('2027-02-01T00:00:00.000Z');
    const scored = [scoredComponent('ENGINE_COOLING', { health: 87.6, dueAt }), scoredComponent('DIAGNOSTICS', { summary: false })];
    await sut.save(vehicleId, scored, at);
    const first = await rowsOf(prisma, vehicleId);

    expect(first.predictions).toEqual([
      expect.objectContaining({
        vehicleId,
        component: 'ENGINE_COOLING',
        health: 88,
        risk: 'OK',
        dueAt,
        dueOdometerKm: null,
        confidence: { kind: 'probability', value: 0.9 },
        evidence: { warmMedianC: 90.4, drives: 12, note: 'ok', flags: [true, null] },
        findings: [{ code: 'ENGINE_COOLING_OK', subject: '', risk: 'OK', message: 'Nothing to do.', params: { km: 120 } }],
        explanation: 'ENGINE_COOLING looks fine.',
        modelVersion: 'engine_cooling/1',
        scoredAt: at,
      }),
      expect.objectContaining({ component: 'DIAGNOSTICS', dueAt: null, health: 90 }),
    ]);
    expect(first.states).toEqual([
      {
        vehicleId,
        component: 'ENGINE_COOLING',
        state: { baseline: 87.6 },
        summary: { days: { '2026-12-01': [1, 2.5] } },
        summaryVersion: 'engine_cooling-summary/1',
        closedUntil: new Date(1_700_000_000_000),
      },
      // A model without a summary leaves the column NULL (not a JSON null): the reuse policy reads "none yet".
      { vehicleId, component: 'DIAGNOSTICS', state: { baseline: 90 }, summary: null, summaryVersion: null, closedUntil: null },
    ]);
    expect(first.snapshots.map((s) => [s.component, s.scoredAt, s.health])).toEqual([
      ['ENGINE_COOLING', at, 88],
      ['DIAGNOSTICS', at, 90],
    ]);

    const writtenAt = () => prisma.vehicleModelState.findMany({ where: { vehicleId }, orderBy: { component: 'asc' }, select: { updatedAt: true } });
    const firstWrite = await writtenAt();
    await sut.save(vehicleId, scored, at);
    expect(await rowsOf(prisma, vehicleId)).toEqual(first);
    // An unchanged state is not written again; a changed one is.
    expect(await writtenAt()).toEqual(firstWrite);
    await sut.save(vehicleId, [scored[0]!, scoredComponent('DIAGNOSTICS', { health: 91, summary: false })], at);
    const [engine, diagnostics] = await writtenAt();
    expect(engine).toEqual(firstWrite[0]);
    expect(diagnostics!.updatedAt.getTime()).toBeGreaterThan(firstWrite[1]!.updatedAt.getTime());
  });

  it('keeps the stored state when the score says it did not change (it does not travel), and the summary with it', async () => {
    const vehicleId = (await createFleet(prisma, 1)).vehicles[0]!.id;
    const at = new Date('2026-12-01T10:00:00.000Z');
    await sut.save(vehicleId, [scoredComponent('ENGINE_COOLING', { health: 80 })], at);
    const stored = await rowsOf(prisma, vehicleId);
    const later = new Date(at.getTime() + HOUR);
    // The state object differs here on purpose: `stateChanged: false` alone decides that the stored one stays.
    const unchanged = { ...scoredComponent('ENGINE_COOLING', { health: 81 }), stateChanged: false, summaryChanged: false };
    await sut.save(vehicleId, [unchanged], later);
    const kept = await rowsOf(prisma, vehicleId);
    expect(kept.states).toEqual(stored.states);
    expect(kept.predictions).toEqual([expect.objectContaining({ component: 'ENGINE_COOLING', health: 81, scoredAt: later })]);
    // A changed state is written as before.
    await sut.save(vehicleId, [{ ...unchanged, stateChanged: true }], later);
    expect((await rowsOf(prisma, vehicleId)).states).toEqual([expect.objectContaining({ component: 'ENGINE_COOLING', state: { baseline: 81 } })]);
  });

  it('keeps an unchanged evidence value as stored (compressed once, with lz4) and writes a changed one anew (findings alike)', async () => {
    const vehicleId = (await createFleet(prisma, 1)).vehicles[0]!.id;
    const at = new Date('2026-12-01T10:00:00.000Z');
    // Large enough to be compressed (a row over ~2 KB), as the models' evidence is.
    const evidence = { points: Array.from({ length: 300 }, (_, i) => [1_700_000_000_000 + i * 60_000, 90 + (i % 7) / 10]) };
    const withEvidence = (health: number, value: unknown): ScoredComponent => {
      const scored = scoredComponent('TIRES', { health });
      return { ...scored, assessment: { ...scored.assessment, evidence: value as ComponentAssessment['evidence'] } };
    };
    const compression = async () =>
      (
        await prisma.pool.query<{ evidence: string | null; findings: string | null }>(
          `SELECT pg_column_compression(evidence) AS evidence, pg_column_compression(findings) AS findings FROM predictions WHERE "vehicleId" = $1::uuid`,
          [vehicleId],
        )
      ).rows[0];
    await sut.save(vehicleId, [withEvidence(80, evidence)], at);
    expect((await compression())?.evidence).toBe('lz4');

    // Which values were written again shows in their compression once the column's method is changed in between.
    const setCompression = (method: string) =>
      prisma.pool.query(`ALTER TABLE predictions ALTER COLUMN evidence SET COMPRESSION ${method}, ALTER COLUMN findings SET COMPRESSION ${method}`);
    await setCompression('pglz');
    try {
      const later = new Date(at.getTime() + HOUR);
      await sut.save(vehicleId, [withEvidence(81, structuredClone(evidence))], later);
      expect(await compression()).toEqual({ evidence: 'lz4', findings: null });
      const kept = await prisma.prediction.findMany({ where: { vehicleId } });
      expect(kept).toEqual([expect.objectContaining({ health: 81, scoredAt: later, evidence })]);

      const changed = { points: [...evidence.points, [1_700_018_000_000, 91.5]] };
      await sut.save(vehicleId, [withEvidence(81, changed)], new Date(later.getTime() + HOUR));
      expect((await compression())?.evidence).toBe('pglz');
      expect((await prisma.prediction.findMany({ where: { vehicleId } }))[0]?.evidence).toEqual(changed);
    } finally {
      await setCompression('lz4');
    }
  });

  it('adds a snapshot only for the component whose risk, health (by 5) or due date (by a day) changed, or once a day', async () => {
    const vehicleId = (await createFleet(prisma, 1)).vehicles[0]!.id;
    const t0 = new Date('2026-12-01T10:00:00.000Z');
    const dueAt = new Date('2027-02-01T00:00:00.000Z');
    const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);
    const score = (hours: number, engine: Scored, battery: Scored = { health: 80 }) =>
      sut.save(vehicleId, [scoredComponent('ENGINE_COOLING', { dueAt, ...engine }), scoredComponent('BATTERY', battery)], at(hours));

    await score(0, { health: 90 });
    // Nothing an owner would notice: health by less than 5, the due date by less than a day.
    await score(1, { health: 86, dueAt: new Date(dueAt.getTime() + DAY - 1) });
    // Compared with the prediction it replaces, not with the last snapshot: 86 -> 82 is no change, 82 -> 77 is.
    await score(2, { health: 82 });
    await score(3, { health: 77 });
    await score(4, { health: 77, risk: 'WATCH' });
    await score(5, { health: 77, risk: 'WATCH', dueAt: new Date(dueAt.getTime() - DAY) });
    // The battery's last snapshot (hour 0) is a day old: it gets one though nothing changed.
    await score(24, { health: 77, risk: 'WATCH', dueAt: new Date(dueAt.getTime() - DAY) });
    // Both had one within the day and nothing changed.
    await score(25, { health: 77, risk: 'WATCH', dueAt: new Date(dueAt.getTime() - DAY) });

    expect((await snapshotsOf(vehicleId)).map((s) => [s.component, (s.scoredAt.getTime() - t0.getTime()) / HOUR, s.risk, s.health])).toEqual([
      ['ENGINE_COOLING', 0, 'OK', 90],
      ['BATTERY', 0, 'OK', 80],
      ['ENGINE_COOLING', 3, 'OK', 77],
      ['ENGINE_COOLING', 4, 'WATCH', 77],
      ['ENGINE_COOLING', 5, 'WATCH', 77],
      ['BATTERY', 24, 'OK', 80],
    ]);
    const current = await prisma.prediction.findMany({ where: { vehicleId }, orderBy: { component: 'asc' } });
    expect(current.map((p) => [p.component, p.scoredAt, p.health, p.dueAt])).toEqual([
      ['ENGINE_COOLING', at(25), 77, new Date(dueAt.getTime() - DAY)],
      ['BATTERY', at(25), 80, null],
    ]);
  });

  it("keeps the vehicle's worst risk and the earliest due date at it in step with its predictions, writing the vehicle only on a change", async () => {
    const vehicleId = (await createFleet(prisma, 1)).vehicles[0]!.id;
    const worst = () => prisma.vehicle.findUniqueOrThrow({ where: { id: vehicleId }, select: { worstRisk: true, worstDueAt: true } });
    const rowVersion = async () =>
      (await prisma.$queryRaw<{ xmin: string }[]>`SELECT xmin::text FROM vehicles WHERE id = ${vehicleId}::uuid`)[0]!.xmin;
    const t0 = new Date('2026-12-01T10:00:00.000Z');
    const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);
    const early = new Date('2027-01-10T00:00:00.000Z');
    const late = new Date('2027-03-01T00:00:00.000Z');
    expect(await worst()).toEqual({ worstRisk: null, worstDueAt: null });

    await sut.save(
      vehicleId,
      [scoredComponent('BATTERY', { dueAt: late }), scoredComponent('TIRES', { dueAt: early }), scoredComponent('DIAGNOSTICS', {})],
      at(0),
    );
    expect(await worst()).toEqual({ worstRisk: 'OK', worstDueAt: early });

    // The due date at the worst risk, however late, not an earlier one of a component at a lower risk.
    await sut.save(
      vehicleId,
      [scoredComponent('BATTERY', { risk: 'SOON', dueAt: late }), scoredComponent('TIRES', { dueAt: early }), scoredComponent('DIAGNOSTICS', {})],
      at(1),
    );
    expect(await worst()).toEqual({ worstRisk: 'SOON', worstDueAt: late });

    // A score of some components only: the others count as they are stored.
    await sut.save(vehicleId, [scoredComponent('TIRES', { risk: 'SOON', dueAt: early })], at(2));
    expect(await worst()).toEqual({ worstRisk: 'SOON', worstDueAt: early });
    await sut.save(vehicleId, [scoredComponent('BATTERY', { risk: 'URGENT' })], at(3));
    expect(await worst()).toEqual({ worstRisk: 'URGENT', worstDueAt: null });

    // The same worst risk and due date again: the vehicle's row is not written (no new row version to vacuum).
    const written = await rowVersion();
    await sut.save(vehicleId, [scoredComponent('BATTERY', { risk: 'URGENT', health: 40 })], at(4));
    expect(await rowVersion()).toBe(written);

    await sut.save(vehicleId, [scoredComponent('BATTERY', {}), scoredComponent('TIRES', { dueAt: late })], at(5));
    expect(await worst()).toEqual({ worstRisk: 'OK', worstDueAt: late });
  });

  it('reads the vehicle and its saved states in one go, and marks the score without moving the version back', async () => {
    const vehicleId = (await createFleet(prisma, 1)).vehicles[0]!.id;
    expect(await sut.scoringStart('00000000-0000-4000-8000-000000000000')).toBeNull();
    const fresh = await sut.scoringStart(vehicleId);
    expect(fresh).toEqual({
      profile: { make: 'Toyota', model: 'Corolla', year: 2020, fuelType: 'PETROL', oilServiceIntervalKm: 10_000, oilServiceIntervalMonths: 12 },
      telemetryVersion: 0n,
      lastScoredAt: null,
      lateSampleTs: null,
      hasActiveReminder: false,
      states: new Map(),
      rows: [],
    });

    const at = new Date('2026-12-01T10:00:00.000Z');
    await sut.save(vehicleId, [scoredComponent('ENGINE_COOLING', {}), scoredComponent('DIAGNOSTICS', { summary: false })], at);
    const lateSampleTs = new Date('2026-11-30T08:00:00.000Z');
    await prisma.vehicle.update({ where: { id: vehicleId }, data: { telemetryVersion: 7n, lateSampleTs } });
    const start = await sut.scoringStart(vehicleId);
    expect(start?.telemetryVersion).toBe(7n);
    expect(start?.lateSampleTs).toEqual(lateSampleTs);
    expect(start?.states).toEqual(
      new Map([
        [
          'ENGINE_COOLING',
          {
            state: { baseline: 90 },
            saved: { summaryVersion: 'engine_cooling-summary/1', closedUntilMs: 1_700_000_000_000, summary: { days: { '2026-12-01': [1, 2.5] } } },
          },
        ],
        ['DIAGNOSTICS', { state: { baseline: 90 }, saved: null }],
      ]),
    );

    // A newer batch arrived (version 8) while version 7 was scored: its late sample stays for the next score.
    await prisma.vehicle.update({ where: { id: vehicleId }, data: { telemetryVersion: 8n } });
    await sut.markScored(vehicleId, 7n, at);
    expect(
      await prisma.vehicle.findUniqueOrThrow({ where: { id: vehicleId }, select: { scoredVersion: true, lateSampleTs: true, lastScoredAt: true } }),
    ).toEqual({
      scoredVersion: 7n,
      lateSampleTs,
      lastScoredAt: at,
    });
    await sut.markScored(vehicleId, 8n, at);
    // A slow rerun of the older job afterwards does not move the scored version back.
    await sut.markScored(vehicleId, 7n, at);
    expect(await prisma.vehicle.findUniqueOrThrow({ where: { id: vehicleId }, select: { scoredVersion: true, lateSampleTs: true } })).toEqual({
      scoredVersion: 8n,
      lateSampleTs: null,
    });
  });

  it('marks the vehicle scored in the save when asked, writing exactly what markScored writes', async () => {
    const { vehicles } = await createFleet(prisma, 3);
    const [apart, together, unscored] = vehicles.map((v) => v.id) as [string, string, string];
    const vehicleRow = (vehicleId: string) =>
      prisma.vehicle.findUniqueOrThrow({
        where: { id: vehicleId },
        select: { scoredVersion: true, lateSampleTs: true, lastScoredAt: true, worstRisk: true, worstDueAt: true },
      });
    const lateSampleTs = new Date('2026-11-30T08:00:00.000Z');
    const dueAt = new Date('2027-02-01T00:00:00.000Z');
    const t0 = new Date('2026-12-01T10:00:00.000Z');
    const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);
    const scored = (health: number) => [scoredComponent('BATTERY', { risk: 'SOON', dueAt, health }), scoredComponent('TIRES', {})];
    // One vehicle the old way (save, then markScored), the other in the save's own statement, step by step alike.
    const both = async (version: bigint, when: Date, health: number) => {
      await sut.save(apart, scored(health), when);
      await sut.markScored(apart, version, when);
      await sut.save(together, scored(health), when, { markScored: version });
      expect(await vehicleRow(together)).toEqual(await vehicleRow(apart));
    };
    await prisma.vehicle.updateMany({ where: { id: { in: [apart, together] } }, data: { telemetryVersion: 8n, lateSampleTs } });

    // Version 7 was read while version 8 brought the late sample: it stays for the next score.
    await both(7n, at(0), 90);
    expect(await vehicleRow(together)).toEqual({ scoredVersion: 7n, lateSampleTs, lastScoredAt: at(0), worstRisk: 'SOON', worstDueAt: dueAt });
    await both(8n, at(1), 85);
    // A slower rerun of the older job afterwards does not move the scored version back.
    await both(7n, at(2), 80);
    expect(await vehicleRow(together)).toEqual({ scoredVersion: 8n, lateSampleTs: null, lastScoredAt: at(2), worstRisk: 'SOON', worstDueAt: dueAt });
    expect(await prisma.prediction.findMany({ where: { vehicleId: together }, select: { component: true, health: true, scoredAt: true } })).toEqual(
      expect.arrayContaining([
        { component: 'BATTERY', health: 80, scoredAt: at(2) },
        { component: 'TIRES', health: 90, scoredAt: at(2) },
      ]),
    );
    // Not asked: the save leaves the mark alone.
    await sut.save(together, scored(75), at(3));
    expect((await vehicleRow(together)).lastScoredAt).toEqual(at(2));
    // A save with no prediction at all still marks (there is no worst risk to join).
    await sut.save(unscored, [], at(4), { markScored: 0n });
    expect(await vehicleRow(unscored)).toEqual({ scoredVersion: 0n, lateSampleTs: null, lastScoredAt: at(4), worstRisk: null, worstDueAt: null });
  });

  it('tells whether the vehicle has an active reminder: OPEN, ACKNOWLEDGED, SNOOZED or BOOKED', async () => {
    const fleet = await createFleet(prisma, 1);
    const vehicleId = fleet.vehicles[0]!.id;
    expect((await sut.scoringStart(vehicleId))?.hasActiveReminder).toBe(false);
    const dedupKey = `${vehicleId}:TIRES:TIRE_TREAD_WEAR:FL`;
    const { id } = await prisma.reminder.create({
      data: {
        vehicleId,
        ownerId: fleet.ownerId,
        serviceCenterId: fleet.serviceCenterId,
        component: 'TIRES',
        dedupKey,
        visitKey: `${vehicleId}:visit:TIRES`,
        risk: 'SOON',
        content: {},
      },
    });
    const answers: [string, boolean | undefined][] = [];
    for (const status of REMINDER_STATUSES) {
      await prisma.reminder.update({ where: { id }, data: { status } });
      answers.push([status, (await sut.scoringStart(vehicleId))?.hasActiveReminder]);
    }
    expect(answers).toEqual(REMINDER_STATUSES.map((status) => [status, (ACTIVE_STATUSES as readonly string[]).includes(status)]));
    // Another car's active reminder is not this one's.
    const other = (await createFleet(prisma, 1)).vehicles[0]!.id;
    await prisma.reminder.update({ where: { id }, data: { status: 'OPEN' } });
    expect((await sut.scoringStart(other))?.hasActiveReminder).toBe(false);
  });

  it('returns a held row version without its state and summary (taken from the cache), and any rewritten row in full', async () => {
    const vehicleId = (await createFleet(prisma, 1)).vehicles[0]!.id;
    const at = new Date('2026-12-01T10:00:00.000Z');
    await sut.save(vehicleId, [scoredComponent('ENGINE_COOLING', {}), scoredComponent('DIAGNOSTICS', { summary: false })], at);
    const cache = new ModelStateCache(10);
    const first = await sut.scoringStart(vehicleId, cache.get(vehicleId));
    cache.set(vehicleId, first!.rows);
    // What the query sent is what the cache holds: the text Postgres rendered, under the row's version.
    const sent = async (): Promise<Map<string, string | null>> => {
      const held = [...(cache.get(vehicleId)?.values() ?? [])].map((row) => row.key);
      const { rows } = await prisma.pool.query<{ component: string; state: string | null }>(
        `SELECT s.component::text AS component, CASE WHEN s.component::text || '/' || s.xmin::text || '/' ||
                (extract(epoch FROM s."updatedAt") * 1000)::bigint = ANY($2::text[]) THEN NULL ELSE s.state::text END AS state
         FROM vehicle_model_states s WHERE s."vehicleId" = $1::uuid`,
        [vehicleId, held],
      );
      return new Map(rows.map((row) => [row.component, row.state]));
    };
    expect(await sent()).toEqual(
      new Map([
        ['ENGINE_COOLING', null],
        ['DIAGNOSTICS', null],
      ]),
    );
    const second = await sut.scoringStart(vehicleId, cache.get(vehicleId));
    expect(second?.states).toEqual(first?.states);
    expect(second?.rows).toEqual(first?.rows);
    expect(second?.rows[0]).toBe(cache.get(vehicleId)?.get(second!.rows[0]!.component));

    // A score that changes one state rewrites that row: a new version, read in full; the other stays held.
    await sut.save(vehicleId, [scoredComponent('ENGINE_COOLING', { health: 70 }), scoredComponent('DIAGNOSTICS', { summary: false })], at);
    expect(await sent()).toEqual(
      new Map([
        ['ENGINE_COOLING', '{"baseline": 70}'],
        ['DIAGNOSTICS', null],
      ]),
    );
    const third = await sut.scoringStart(vehicleId, cache.get(vehicleId));
    expect(third?.states.get('ENGINE_COOLING')?.state).toEqual({ baseline: 70 });
    expect(third?.states.get('DIAGNOSTICS')).toEqual(first?.states.get('DIAGNOSTICS'));
    // Anyone's rewrite of the same content is a new version too (xmin), so the cache is never asked to trust it.
    await prisma.pool.query(`UPDATE vehicle_model_states SET state = state WHERE "vehicleId" = $1::uuid`, [vehicleId]);
    expect([...(await sent()).values()].every((state) => state !== null)).toBe(true);
  });
});
