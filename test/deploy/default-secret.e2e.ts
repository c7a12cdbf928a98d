import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { KNOWN_DEFAULT_SECRETS, loadApiConfig } from '#app/config';
import type { PrismaClient } from '#app/database';
import { createTenant, startApi, TEST_PASSWORD, tokenFor } from '../api/api-test.fixtures.js';
import { projectRoot } from '../support/project-root.js';

const run = promisify(execFile);

/** The JWT_SECRET libs/config used to fall back to, and compose's old default: public strings. */
const [OLD_CONFIG_DEFAULT, OLD_COMPOSE_DEFAULT] = [...KNOWN_DEFAULT_SECRETS];

/** A token with a real token's claims (whatever their shape today) signed with another key: a forgery. */
async function forge(realToken: string, secret: string): Promise<string> {
  const claims = JSON.parse(Buffer.from(realToken.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  return new JwtService({ secret }).signAsync(claims);
}

/** What `npm start` and `npm test` do to get their secret: scripts/secrets.sh, sourced with a state folder. */
async function secretOfStateFolder(state: string): Promise<string> {
  const { JWT_SECRET: _given, ...env } = process.env;
  const { stdout } = await run('bash', ['-c', 'set -euo pipefail; source scripts/secrets.sh; printf %s "$JWT_SECRET"'], {
    cwd: projectRoot,
    env: { ...env, CARHEALTH_STATE: state },
  });
  return stdout;
}

describe('no default JWT secret', () => {
  const ownerData = '/api/v1/me/reminders';
  let app: INestApplication;
  let prisma: PrismaClient;

  beforeAll(async () => {
    ({ app, prisma } = await startApi());
  });
  afterAll(async () => {
    await app.close();
  });

  describe('the API as the tests run it', () => {
    it("refuses a token forged with the old default secret for a real user's id", async () => {
      const { owner } = await createTenant(prisma, 'forged');
      const realToken = await tokenFor(app, owner.email);
      await request(app.getHttpServer()).get(ownerData).set('Authorization', `Bearer ${realToken}`).expect(200);

      expect(KNOWN_DEFAULT_SECRETS.has(loadApiConfig().api.jwtSecret)).toBe(false);
      for (const secret of [OLD_CONFIG_DEFAULT!, OLD_COMPOSE_DEFAULT!]) {
        const forged = await forge(realToken, secret);
        await request(app.getHttpServer()).get(ownerData).set('Authorization', `Bearer ${forged}`).expect(401);
      }
    });
  });

  describe("npm start's secret file", () => {
    it('is generated on first run with mode 0600, at least 32 characters, and reused (mode closed again) by later runs', async () => {
      const state = mkdtempSync(join(tmpdir(), 'carhealth-state-'));
      const first = await secretOfStateFolder(state);
      const file = join(state, 'jwt-secret');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(readFileSync(file, 'utf8')).toBe(first);
      expect(
        loadApiConfig({ DATABASE_URL: 'postgresql://u:p@h/db', NODE_ENV: 'production', VAPID_KEY_FILE: '/v.json', JWT_SECRET: first }).api.jwtSecret,
      ).toBe(first);

      chmodSync(file, 0o644);
      expect(await secretOfStateFolder(state)).toBe(first);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      // Another checkout's state folder gets a key of its own.
      expect(await secretOfStateFolder(mkdtempSync(join(tmpdir(), 'carhealth-state-')))).not.toBe(first);
    });
  });

  describe('the real API process as `npm start` runs it', () => {
    let api: ChildProcess | undefined;
    afterAll(() => {
      api?.kill('SIGTERM');
    });

    it('listens on loopback and refuses a token forged with the old default', async () => {
      const secret = await secretOfStateFolder(mkdtempSync(join(tmpdir(), 'carhealth-state-')));
      const port = await freePort();
      const { JWT_SECRET: _given, HOST: _host, NODE_ENV: _mode, ...env } = process.env;
      let output = '';
      api = spawn(process.execPath, [join(projectRoot, 'dist/apps/api/src/main.js')], {
        env: { ...env, NODE_OPTIONS: '', JWT_SECRET: secret, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      api.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      api.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const deadline = Date.now() + 30_000;
      while (!output.includes('listening on')) {
        if (api.exitCode !== null) throw new Error(`api exited with ${api.exitCode}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`api did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(output).toContain(`listening on 127.0.0.1:${port}`);

      const base = `http://127.0.0.1:${port}`;
      const { owner } = await createTenant(prisma, 'forged-process');
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: owner.email, password: TEST_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const realToken = ((await login.json()) as { accessToken: string }).accessToken;
      const read = (token: string) => fetch(`${base}${ownerData}`, { headers: { authorization: `Bearer ${token}` } });
      expect((await read(realToken)).status).toBe(200);
      for (const old of [OLD_CONFIG_DEFAULT!, OLD_COMPOSE_DEFAULT!]) {
        expect((await read(await forge(realToken, old))).status).toBe(401);
      }
      // The key in the state file is the one that signs the process's tokens.
      expect(await forge(realToken, secret)).toBe(realToken);
    });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
