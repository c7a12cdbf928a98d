// PrismaService.preparedRows against real Postgres: a fixed statement text runs as one named prepared statement
// on each connection (parsed once there, its plan cacheable), with the same rows as the unnamed path.
import { loadWorkerConfig } from '#app/config';
import { Prisma, PrismaService } from '#app/database';
import { testEnv } from '../support/test-env.js';

describe(`${PrismaService.name}.preparedRows`, () => {
  const sut = new PrismaService(loadWorkerConfig({ ...process.env, DATABASE_URL: testEnv.databaseUrl }));

  afterAll(async () => {
    await sut.$disconnect();
  });

  const statement = (n: number, label: string) =>
    Prisma.sql`SELECT g AS n, ${label}::text AS label, g * ${n}::int AS product FROM generate_series(1, 3) AS g ORDER BY g`;

  it('returns what the unnamed statement returns, for every parameter set (past the plan cache switch to a generic plan)', async () => {
    // Postgres plans a prepared statement's first 5 executions for their parameters, then may keep a generic plan.
    for (let n = 1; n <= 8; n++) {
      expect(await sut.preparedRows(statement(n, `run ${n}`))).toEqual(await sut.poolRows(statement(n, `run ${n}`)));
    }
  });

  it('names the statement after its text: prepared once on its connection, and another text under another name', async () => {
    // Each statement finds itself among the connection's prepared statements by the marker in its own text.
    const a = Prisma.sql`SELECT name FROM pg_prepared_statements WHERE statement LIKE '%marker-a%'`;
    const b = Prisma.sql`SELECT name FROM pg_prepared_statements WHERE statement LIKE '%marker-b%'`;
    const first = await sut.preparedRows<{ name: string }>(a);
    expect(first).toEqual([{ name: expect.stringMatching(/^p_[0-9a-f]{24}$/) }]);
    for (let i = 0; i < 20; i++) expect(await sut.preparedRows(a)).toEqual(first);
    const other = await sut.preparedRows<{ name: string }>(b);
    expect(other).toEqual([{ name: expect.stringMatching(/^p_[0-9a-f]{24}$/) }]);
    expect(other[0]!.name).not.toBe(first[0]!.name);
  });
});
