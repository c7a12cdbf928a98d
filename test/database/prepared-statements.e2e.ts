import { loadApiConfig } from '#app/config';
import { Prisma, PrismaService } from '#app/database';

interface Row {
  n: number;
  /** The prepared statements of the connection that ran the query, as Postgres lists them. */
  statements: { name: string; text: string }[];
}

describe('PrismaService.poolRowsPrepared', () => {
  const prisma = new PrismaService(loadApiConfig());
  const read = (n: number, label: string): Promise<Row[]> =>
    prisma.poolRowsPrepared<Row>(
      Prisma.sql`SELECT ${n}::int AS n, ${label}::text AS label,
                        (SELECT coalesce(json_agg(json_build_object('name', name, 'text', statement) ORDER BY name), '[]')
                           FROM pg_prepared_statements) AS statements`,
    );

  afterAll(async () => {
    await prisma.onApplicationShutdown();
  });

  it('prepares each text once under one name, binds each call its own values, and gives another text another name', async () => {
    const first = await read(1, 'a');
    const second = await read(2, 'b');
    const other = await prisma.poolRowsPrepared<{ n: number }>(Prisma.sql`SELECT ${3}::int + 0 AS n`);

    expect(first[0]?.n).toBe(1);
    expect(second[0]?.n).toBe(2);
    expect(other[0]?.n).toBe(3);
    // One call after another reuse the pool's last idle connection (pg-pool takes the most recently released one).
    const statements = (await read(4, 'c'))[0]?.statements ?? [];
    const named = (fragment: string): string[] => statements.filter((s) => s.text.includes(fragment)).map((s) => s.name);
    expect(named('AS label')).toEqual([expect.stringMatching(/^carhealth_\d+$/)]);
    expect(named('+ 0 AS n')).toEqual([expect.stringMatching(/^carhealth_\d+$/)]);
    expect(named('+ 0 AS n')[0]).not.toBe(named('AS label')[0]);
  });

  it('returns what the unprepared statement returns, for every set of values (past the switch to a generic plan)', async () => {
    const statement = (n: number, label: string) =>
      Prisma.sql`SELECT g AS n, ${label}::text AS label, g * ${n}::int AS product FROM generate_series(1, 3) AS g ORDER BY g`;
    // Postgres plans a prepared statement's first 5 executions for their values, then may keep a generic plan.
    for (let n = 1; n <= 8; n++) {
      expect(await prisma.poolRowsPrepared(statement(n, `run ${n}`))).toEqual(await prisma.poolRows(statement(n, `run ${n}`)));
    }
  });
});
