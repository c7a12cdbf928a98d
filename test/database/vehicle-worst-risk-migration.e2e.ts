import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { applyMigrations } from '#app/database';
import { migrationSubset } from '../support/migration-subset.js';
import { ScratchDatabase } from '../support/scratch-database.js';
import { projectRoot } from '../support/test-env.js';

const WORST_RISK = '20261206233900_apiscale_vehicle_worst_risk';
const DAY_MS = 86_400_000;

/**
 * The migration that adds vehicles.worstRisk / worstDueAt on a database that already holds predictions (a scratch
 * database migrated up to the migration before it): every car gets what the worker's next save would write.
 */
describe(`migration ${WORST_RISK}`, () => {
  const database = new ScratchDatabase('worst_risk');
  const db = new pg.Client({ connectionString: database.url });
  let earlierMigrations: Awaited<ReturnType<typeof migrationSubset>> | undefined;

  beforeAll(async () => {
    await database.create();
    earlierMigrations = await migrationSubset((migration) => migration < WORST_RISK);
    await applyMigrations(database.url, earlierMigrations.dir);
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
    await database.drop();
    await earlierMigrations?.remove();
  });

  it('backfills each car from its predictions: the worst risk and the earliest due date at it, null without predictions', async () => {
    const centerId = randomUUID();
    const ownerId = randomUUID();
    await db.query(`INSERT INTO service_centers (id, name) VALUES ($1, 'Worst risk test')`, [centerId]);
    await db.query(`INSERT INTO users (id, email, "passwordHash", role, name) VALUES ($1, $2, 'x', 'OWNER', 'Owner')`, [
      ownerId,
      `${ownerId}@test.local`,
    ]);
    const car = async (vin: string): Promise<string> => {
      const id = randomUUID();
      await db.query(
        `INSERT INTO vehicles (id, "serviceCenterId", "ownerId", vin, make, model, year) VALUES ($1, $2, $3, $4, 'Toyota', 'Corolla', 2020)`,
        [id, centerId, ownerId, vin],
      );
      return id;
    };
    const inDays = (days: number): Date => new Date(Date.UTC(2027, 0, 1) + days * DAY_MS);
    const predict = (vehicleId: string, component: string, risk: string, dueAt: Date | null) =>
      db.query(
        `INSERT INTO predictions (id, "vehicleId", component, health, risk, "dueAt", confidence, evidence, explanation, "modelVersion", "scoredAt")
         VALUES ($1, $2, $3::"Component", 50, $4::"Risk", $5, '{}', '{}', 'x', 'x/1', now())`,
        [randomUUID(), vehicleId, component, risk, dueAt],
      );
    const soon = await car('LWORSTRISK0000001');
    await predict(soon, 'BATTERY', 'OK', inDays(1));
    await predict(soon, 'TIRES', 'SOON', inDays(30));
    await predict(soon, 'ENGINE_COOLING', 'SOON', inDays(20));
    await predict(soon, 'DIAGNOSTICS', 'SOON', null);
    const critical = await car('LWORSTRISK0000002');
    await predict(critical, 'BATTERY', 'CRITICAL', null);
    await predict(critical, 'TIRES', 'URGENT', inDays(2));
    const ok = await car('LWORSTRISK0000003');
    await predict(ok, 'BATTERY', 'OK', null);
    const unscored = await car('LWORSTRISK0000004');

    await applyMigrations(database.url, join(projectRoot, 'prisma/migrations'));

    const { rows } = await db.query<{ id: string; worstRisk: string | null; worstDueAt: Date | null }>(
      `SELECT id, "worstRisk"::text AS "worstRisk", "worstDueAt" FROM vehicles`,
    );
    const byId = new Map(rows.map((row) => [row.id, { risk: row.worstRisk, dueAt: row.worstDueAt }]));
    expect(byId.get(soon)).toEqual({ risk: 'SOON', dueAt: inDays(20) });
    expect(byId.get(critical)).toEqual({ risk: 'CRITICAL', dueAt: null });
    expect(byId.get(ok)).toEqual({ risk: 'OK', dueAt: null });
    expect(byId.get(unscored)).toEqual({ risk: null, dueAt: null });
  });
});
