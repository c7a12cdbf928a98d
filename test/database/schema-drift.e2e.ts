import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { applyMigrations } from '#app/database';
import { ScratchDatabase } from '../support/scratch-database.js';
import { projectRoot, testEnv } from '../support/test-env.js';

const run = promisify(execFile);

// Partitions (telemetry by day) are made by the migrations and the worker, not by schema.prisma, which sees
// each partitioned table as the one table it is: they are left out, their parents compared.
const NOT_A_PARTITION = `NOT EXISTS (SELECT 1 FROM pg_class p WHERE p.relname = %s AND p.relnamespace = 'public'::regnamespace AND p.relispartition)`;
const notPartition = (column: string): string => NOT_A_PARTITION.replace('%s', column);

/** A normalised description of a database's schema: what both roads must agree on. */
async function describeSchema(databaseUrl: string): Promise<Record<string, string[]>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows = async (sql: string): Promise<string[]> => (await client.query<{ d: string }>(sql)).rows.map((row) => row.d).sort();
    return {
      columns: await rows(`SELECT table_name || '.' || column_name || ' ' || udt_name || ' null=' || is_nullable
          || ' default=' || coalesce(column_default, '') AS d
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
         AND ${notPartition('table_name')}`),
      indexes:
        await rows(`SELECT replace(indexdef, ' ON ONLY ', ' ON ') AS d FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
         AND ${notPartition('tablename')}`),
      constraints: await rows(`SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS d
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'
         AND NOT EXISTS (SELECT 1 FROM pg_class p WHERE p.oid = conrelid AND p.relispartition)`),
      enums: await rows(`SELECT t.typname || ': ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS d
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`),
    };
  } finally {
    await client.end();
  }
}

describe('prisma schema and migrations', () => {
  const fromMigrations = new ScratchDatabase('drift_migrations');
  const fromSchema = new ScratchDatabase('drift_schema');

  beforeAll(async () => {
    await fromMigrations.create();
    await fromSchema.create();
  });

  afterAll(async () => {
    await fromMigrations.drop();
    await fromSchema.drop();
  });

  it('produce the same database: migrations/ applied in order equal schema.prisma applied from empty', async () => {
    const migrated = await applyMigrations(fromMigrations.url, join(projectRoot, 'prisma/migrations'));
    expect(migrated.applied.length).toBeGreaterThan(0);

    const { stdout: schemaSql } = await run(
      'npx',
      ['prisma', 'migrate', 'diff', '--from-empty', '--to-schema-datamodel', 'prisma/schema.prisma', '--script'],
      { cwd: projectRoot, env: { ...process.env, DATABASE_URL: testEnv.databaseUrl }, maxBuffer: 16 * 1024 * 1024 },
    );
    const client = new pg.Client({ connectionString: fromSchema.url });
    await client.connect();
    await client.query(schemaSql);
    await client.end();

    const [expected, actual] = await Promise.all([describeSchema(fromSchema.url), describeSchema(fromMigrations.url)]);
    expect(actual.columns.length).toBeGreaterThan(100);
    // On failure the diff names what a new migration must add (or what schema.prisma lacks).
    expect(actual).toEqual(expected);
  });

  it('applies idempotently: a second run applies nothing', async () => {
    const second = await applyMigrations(fromMigrations.url, join(projectRoot, 'prisma/migrations'));
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied.length).toBeGreaterThan(0);
  });
});
