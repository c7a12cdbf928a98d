import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { hashPassword, SESSION_RECHECK_MS } from '#app/auth';
import type { PrismaClient } from '#app/database';
import { createTenant, startApi, TEST_PASSWORD, tokenFor, uniqueEmail } from '../api/api-test.fixtures.js';
import { uniquePrefix } from '../api-reminders/reminder-test.fixtures.js';

/** How long a stale token is watched after the event: the recheck interval and then some. */
const WATCH_MS = SESSION_RECHECK_MS + 2_000;
const PROBE_EVERY_MS = 250;

interface Watch {
  event: string;
  probes: number;
  /** 2xx answers to the stale token after the event... */
  accepted: number;
  /** ...and those of them later than SESSION_RECHECK_MS after it: must be none. */
  acceptedAfterWindow: number;
  lastStatus: number;
}

/** A token's end, as an attacker holding it sees it: GET /vehicles, every 250 ms, for the window and then some. */
describe('a token dies with its session: deleted user, role change, password change, logout', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  const watches: Watch[] = [];

  beforeAll(async () => {
    // Own counters (queue prefix) and a limit the probes stay under.
    ({ app, prisma } = await startApi((config) => ({
      ...config,
      queuePrefix: uniquePrefix('session-end'),
      rateLimit: { ...config.rateLimit, requestsPerMinute: 10_000 },
    })));
    // Listening for real: the event stream is read with node:http, not supertest.
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    console.log(`[session-end] SESSION_RECHECK_MS ${SESSION_RECHECK_MS}, each stale token probed every ${PROBE_EVERY_MS} ms for ${WATCH_MS} ms:`);
    for (const w of watches) {
      console.log(
        `[session-end]   ${w.event.padEnd(28)} probes ${w.probes}, 2xx ${w.accepted} (after the window: ${w.acceptedAfterWindow}), last ${w.lastStatus}`,
      );
    }
    await app.close();
  });

  const http = () => request(app.getHttpServer());
  const probe = (token: string) => http().get('/api/v1/vehicles').set('Authorization', `Bearer ${token}`);

  /** Probes the token from the event on and records what it got. */
  async function watch(event: string, token: string): Promise<Watch> {
    const start = Date.now();
    const result: Watch = { event, probes: 0, accepted: 0, acceptedAfterWindow: 0, lastStatus: 0 };
    while (Date.now() - start < WATCH_MS) {
      const sentAt = Date.now() - start;
      const response = await probe(token);
      result.probes++;
      result.lastStatus = response.status;
      if (response.status < 300) {
        result.accepted++;
        if (sentAt > SESSION_RECHECK_MS) result.acceptedAfterWindow++;
      } else {
        expect(response.status).toBe(401);
      }
      await sleep(PROBE_EVERY_MS);
    }
    watches.push(result);
    return result;
  }

  /** A staff member of the tenant's center of their own, signed in, whose token works. */
  async function signedInStaff(label: string) {
    const { center } = await createTenant(prisma, label);
    const staff = await prisma.user.create({
      data: { email: uniqueEmail(label), passwordHash: await hashPassword(TEST_PASSWORD), role: 'STAFF', name: label, serviceCenterId: center.id },
    });
    const token = await tokenFor(app, staff.email);
    await probe(token).expect(200);
    return { staff, token };
  }

  it("refuses a deleted user's token at once for writes and within the recheck interval for reads", async () => {
    const { staff, token } = await signedInStaff('deleted');
    // A second sign-in, read only: its session's cache entry is not refreshed by the writes below.
    const reader = await tokenFor(app, staff.email);
    await probe(reader).expect(200);
    const { vehicle } = await createTenant(prisma, 'deleted-other');

    await prisma.user.delete({ where: { id: staff.id } });
    // What the issue saw still working for 12 h: registering vehicles, provisioning devices (writes are
    // checked against the database every time: refused at once), and the dashboard (a read: within the window).
    const as = (call: request.Test) => call.set('Authorization', `Bearer ${token}`);
    const writes = [
      await as(http().post(`/api/v1/vehicles/${vehicle.vin}/devices`).send({})),
      await as(http().post('/api/v1/vehicles').send({ vin: 'ZZZZZZZZZZZZZZZZZ' })),
    ].map((response) => response.status);
    console.log(`[session-end]   writes right after deletion: ${writes.join(', ')}`);
    expect(writes).toEqual([401, 401]);
    const result = await watch('user deleted (reads)', reader);

    expect(result.acceptedAfterWindow).toBe(0);
    expect(result.lastStatus).toBe(401);
    await http().get('/api/v1/dashboard/attention').set('Authorization', `Bearer ${reader}`).expect(401);
  });

  it('refuses the token once the role (or center) is not the one it was issued for', async () => {
    const { staff, token } = await signedInStaff('role-change');
    const reader = await tokenFor(app, staff.email);
    await probe(reader).expect(200);

    await prisma.user.update({ where: { id: staff.id }, data: { role: 'ADMIN' } });
    // A write with the old role's token is refused at once (the body does not matter: the guard runs first).
    await http().post('/api/v1/vehicles').set('Authorization', `Bearer ${token}`).send({}).expect(401);
    const result = await watch('role changed (reads)', reader);

    expect(result.acceptedAfterWindow).toBe(0);
    expect(result.lastStatus).toBe(401);
    // A new sign-in carries the new role.
    await probe(await tokenFor(app, staff.email)).expect(200);
  });

  it('ends every other session at a password change, at once; the changer stays signed in', async () => {
    const { owner } = await createTenant(prisma, 'password-sessions');
    const stolen = await tokenFor(app, owner.email);
    const changer = await tokenFor(app, owner.email);
    await probe(stolen).expect(200);

    await http()
      .post('/api/v1/me/password')
      .set('Authorization', `Bearer ${changer}`)
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'a much longer passphrase' })
      .expect(204);
    const result = await watch('password changed', stolen);

    expect(result.accepted).toBe(0);
    await probe(changer).expect(200);
  });

  it("ends the session at logout, at once; the user's other sessions stay", async () => {
    const { owner } = await createTenant(prisma, 'logout');
    const leaving = await tokenFor(app, owner.email);
    const elsewhere = await tokenFor(app, owner.email);
    await probe(leaving).expect(200);

    await http().post('/api/v1/auth/logout').set('Authorization', `Bearer ${leaving}`).expect(204);
    const result = await watch('logged out', leaving);

    expect(result.accepted).toBe(0);
    await probe(elsewhere).expect(200);
    await http().post('/api/v1/auth/logout').set('Authorization', `Bearer ${leaving}`).expect(401);
  });

  it('ends an open event stream within the recheck interval once its session is logged out', async () => {
    const { owner } = await createTenant(prisma, 'logout-stream');
    const token = await tokenFor(app, owner.email);
    const { port } = app.getHttpServer().address() as AddressInfo;
    const stream = await new Promise<IncomingMessage>((resolve, reject) => {
      get(
        { host: '127.0.0.1', port, path: '/api/v1/me/events', headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token}` } },
        resolve,
      ).on('error', reject);
    });
    expect(stream.statusCode).toBe(200);
    const ended = new Promise<number>((resolve) => stream.on('end', () => resolve(Date.now())).resume());

    const loggedOutAt = Date.now();
    await http().post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`).expect(204);
    const endedAfterMs = (await ended) - loggedOutAt;

    console.log(`[session-end]   event stream ended ${endedAfterMs} ms after logout`);
    expect(endedAfterMs).toBeLessThanOrEqual(SESSION_RECHECK_MS + 1_000);
  });
});
