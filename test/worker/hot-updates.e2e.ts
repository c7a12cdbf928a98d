// What a score's save costs Postgres beyond its rows: an UPDATE that is not HOT (heap-only) writes a new entry into
// every index of the table and leaves them for vacuum. A save rewrites the car's predictions (their due date, health,
// evidence and scoredAt move on most scores), its model states when a drive closed, and marks the vehicle: each of
// these must stay heap-only (migration pgcost_hot_updates: no index on a column a score changes, room on the page).
// Counted exactly with Postgres' per-transaction statistics: the save runs inside a transaction of our own. On a
// database of its own, freshly migrated: whether an update is HOT also depends on the room left on its page, and in the
// shared test database other suites' rows fill the pages the car's rows land on (production's pages keep room by
// their fillfactor; here the test must not depend on which page a row happens to land).
import { join } from 'node:path';
import pg from 'pg';
import { applyMigrations, Prisma, PrismaService } from '#app/database';
import { loadWorkerConfig } from '#app/config';
import { COMPONENTS } from '#app/maintenance';
import { PredictionStore } from '../../apps/worker/src/scoring/prediction.store.js';
import { createFleet } from '../support/fixtures.js';
import { DAY, scoredComponent } from '../support/scored-components.js';
import { ScratchDatabase } from '../support/scratch-database.js';
import { projectRoot } from '../support/test-env.js';

interface UpdateCounts {
  table: string;
  updated: number;
  hot: number;
}

describe('a score save updates its rows heap-only (HOT)', () => {
  const database = new ScratchDatabase('hot_updates');
  const prisma = new PrismaService(loadWorkerConfig({ ...process.env, DATABASE_URL: database.url }));
  const client = new pg.Client({ connectionString: database.url });

  beforeAll(async () => {
    await database.create();
    await applyMigrations(database.url, join(projectRoot, 'prisma/migrations'));
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    await prisma.$disconnect();
    await database.drop();
  });

  /** The store's statements on our connection, so they run inside its transaction (the SQL is the store's own). */
  const onOurConnection = {
    poolRowsPrepared: async <R>(sql: Prisma.Sql): Promise<R[]> => (await client.query<R & pg.QueryResultRow>(sql.text, sql.values)).rows,
  } as unknown as PrismaService;

  /** This transaction's updates and HOT updates per table, so far. */
  async function updatesInTransaction(): Promise<UpdateCounts[]> {
    const { rows } = await client.query<{ table: string; updated: string; hot: string }>(
      `SELECT t AS table, pg_stat_get_xact_tuples_updated(t::regclass) AS updated, pg_stat_get_xact_tuples_hot_updated(t::regclass) AS hot
       FROM unnest(ARRAY['predictions', 'vehicle_model_states', 'vehicles']) AS t ORDER BY t`,
    );
    return rows.map((r) => ({ table: r.table, updated: Number(r.updated), hot: Number(r.hot) }));
  }

  it('rewrites every prediction, model state and the vehicle mark without a new index entry', async () => {
    const vehicleId = (await createFleet(prisma, 1)).vehicles[0]!.id;
    const at = new Date('2026-12-01T10:00:00.000Z');
    const dueAt = new Date('2027-02-01T00:00:00.000Z');
    // The first score inserts the rows (committed on the pool, as the worker does).
    await new PredictionStore(prisma).save(
      vehicleId,
      COMPONENTS.map((component) => scoredComponent(component, { health: 80, dueAt, byHealth: true })),
      at,
    );

    await client.query('BEGIN');
    try {
      // The next score: the same risk, every other value moved (due date by 3 days, health, evidence, findings,
      // explanation, summary, state, scoredAt), and the car marked scored in the same statement.
      await new PredictionStore(onOurConnection).save(
        vehicleId,
        COMPONENTS.map((component) => scoredComponent(component, { health: 79, dueAt: new Date(dueAt.getTime() + 3 * DAY), byHealth: true })),
        new Date(at.getTime() + 60_000),
        { markScored: 1n },
      );
      expect(await updatesInTransaction()).toEqual([
        { table: 'predictions', updated: COMPONENTS.length, hot: COMPONENTS.length },
        { table: 'vehicle_model_states', updated: COMPONENTS.length, hot: COMPONENTS.length },
        { table: 'vehicles', updated: 1, hot: 1 },
      ]);
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
