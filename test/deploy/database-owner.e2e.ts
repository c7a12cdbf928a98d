import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { databaseUrlFor, projectRoot } from '../support/test-env.js';

const run = promisify(execFile);

/**
 * scripts/database-owner.sh, which infra.sh runs before anything is migrated or seeded: two checkouts sharing the
 * machine's Postgres server never write into each other's database without saying so.
 */
describe('database owner marks', () => {
  const admin = databaseUrlFor('postgres');
  const name = `owner_mark_${randomBytes(4).toString('hex')}`;
  const psql = (sql: string) => run('psql', [admin, '-Atqc', sql]).then(({ stdout }) => stdout.trim());
  /** claim_database as the checkout in `checkout`, with the rest of the environment as given. */
  const claim = (checkout: string, env: Record<string, string> = {}) =>
    run('bash', ['-c', `set -euo pipefail; log() { printf '[infra] %s\\n' "$*" >&2; }; source scripts/database-owner.sh; claim_database ${name}`], {
      cwd: projectRoot,
      env: { ...process.env, PG_ADMIN_URL: admin, PROJECT_DIR: checkout, ...env },
    }).then(
      ({ stderr }) => ({ code: 0, stderr }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );

  beforeAll(async () => {
    await psql(`create database ${name}`);
  });
  afterAll(async () => {
    await psql(`drop database if exists ${name}`);
  });

  it('marks an unmarked database as the checkout that migrates it, and lets that checkout in again', async () => {
    expect(await claim('/checkouts/first')).toEqual({ code: 0, stderr: '' });
    expect(await psql(`select shobj_description(oid, 'pg_database') from pg_database where datname = '${name}'`)).toBe(
      'carhealth checkout /checkouts/first',
    );
    expect((await claim('/checkouts/first')).code).toBe(0);
  });

  it("refuses another checkout's database, saying whose it is and how to share it on purpose", async () => {
    const refused = await claim('/checkouts/second');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`database ${name} belongs to the checkout /checkouts/first, not to /checkouts/second`);
    expect(refused.stderr).toContain('CARHEALTH_DB_SHARED=true');

    const shared = await claim('/checkouts/second', { CARHEALTH_DB_SHARED: 'true' });
    expect(shared.code).toBe(0);
    expect(shared.stderr).toContain(`sharing database ${name} with the checkout /checkouts/first`);
    // Sharing does not change the owner.
    expect(await psql(`select shobj_description(oid, 'pg_database') from pg_database where datname = '${name}'`)).toBe(
      'carhealth checkout /checkouts/first',
    );
  });
});
