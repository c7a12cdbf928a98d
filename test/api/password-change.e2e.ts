import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { PrismaClient } from '#app/database';
import { createTenant, startApi, TEST_PASSWORD, tokenFor } from './api-test.fixtures.js';
import { uniquePrefix } from '../api-reminders/reminder-test.fixtures.js';

/** An owner replaces the initial password staff handed over: POST /api/v1/me/password. */
describe('POST /api/v1/me/password', () => {
  let app: INestApplication;
  let prisma: PrismaClient;

  beforeAll(async () => {
    // Own counters (queue prefix): the lockout below must not meet other test files' login attempts.
    ({ app, prisma } = await startApi((config) => ({ ...config, queuePrefix: uniquePrefix('password') })));
  });

  afterAll(async () => {
    await app.close();
  });

  const http = () => request(app.getHttpServer());
  const change = (token: string, body: Record<string, string>) =>
    http().post('/api/v1/me/password').set('Authorization', `Bearer ${token}`).send(body);
  const login = (email: string, password: string) => http().post('/api/v1/auth/login').send({ email, password });

  it('replaces the password: the new one signs in, the old one no longer does', async () => {
    const { owner } = await createTenant(prisma, 'password-change');
    const token = await tokenFor(app, owner.email);

    await change(token, { currentPassword: TEST_PASSWORD, newPassword: 'a much longer passphrase' }).expect(204);

    await login(owner.email, TEST_PASSWORD).expect(401);
    await login(owner.email, 'a much longer passphrase').expect(200);
  });

  it('refuses a wrong current password (403), a short or unchanged new one (400) and no session (401), changing nothing', async () => {
    const { owner } = await createTenant(prisma, 'password-refused');
    const token = await tokenFor(app, owner.email);

    const wrong = await change(token, { currentPassword: 'not the password', newPassword: 'a much longer passphrase' }).expect(403);
    expect(wrong.body.message).toBe('The current password is not right');
    await change(token, { currentPassword: TEST_PASSWORD, newPassword: 'short' }).expect(400);
    await change(token, { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }).expect(400);
    await http().post('/api/v1/me/password').send({ currentPassword: TEST_PASSWORD, newPassword: 'a much longer passphrase' }).expect(401);

    await login(owner.email, TEST_PASSWORD).expect(200);
  });

  it('refuses a password that is easy to guess for this user (400 on newPassword, with the reason), without counting an attempt', async () => {
    const { owner } = await createTenant(prisma, 'password-weak');
    await prisma.user.update({ where: { id: owner.id }, data: { name: 'Zhang Wei' } });
    const token = await tokenFor(app, owner.email);

    const weak = { common: 'password1234', email: owner.email, 'name and year': 'zhangwei2026', keyboard: 'qwertyuiop' };
    const answers: Record<string, { status: number; issues: unknown }> = {};
    // Twelve refusals, more than the account's ten failures: not one of them may lock the owner out.
    for (let round = 0; round < 3; round++) {
      for (const [kind, newPassword] of Object.entries(weak)) {
        const response = await change(token, { currentPassword: TEST_PASSWORD, newPassword });
        answers[kind] = { status: response.status, issues: response.body.issues };
      }
    }

    for (const answer of Object.values(answers)) {
      expect(answer).toEqual({ status: 400, issues: [{ path: 'newPassword', message: expect.stringMatching(/too easy to guess|e-mail/) }] });
    }
    expect(answers.common!.issues).toEqual([{ path: 'newPassword', message: expect.stringContaining('commonly used password') }]);
    await login(owner.email, TEST_PASSWORD).expect(200);
    await change(token, { currentPassword: TEST_PASSWORD, newPassword: 'a much longer passphrase' }).expect(204);
  });

  it('counts wrong current passwords like failed logins: a stolen session cannot guess the password at API speed', async () => {
    const { owner } = await createTenant(prisma, 'password-guess');
    const token = await tokenFor(app, owner.email);

    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await change(token, { currentPassword: `guess ${i}`, newPassword: 'a much longer passphrase' })).status);

    // LOGIN_MAX_FAILURES_PER_ACCOUNT (10): the eleventh is refused before bcrypt, and so is the real password now.
    expect(statuses).toEqual([...Array(10).fill(403), 429]);
    await change(token, { currentPassword: TEST_PASSWORD, newPassword: 'a much longer passphrase' }).expect(429);
  });
});
