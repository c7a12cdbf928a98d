import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AccessTokenService } from '#app/auth';
import type { PrismaClient } from '#app/database';
import { UNSTORABLE_TEXT_MESSAGE } from '../../apps/api/src/common/text.schema.js';
import { createTenant, startApi, tokenFor } from '../api/api-test.fixtures.js';
import { uniquePrefix } from '../api-reminders/reminder-test.fixtures.js';
import { bodyWith, documentedOperations, fillPath, type Operation, type StringField, stringFieldsOf } from '../support/openapi-operations.js';

/** What Postgres cannot store: NUL, and each half of a surrogate pair on its own (JSON can carry them). */
const UNSTORABLE = { nul: '\u0000', loneHigh: '\ud800', loneLow: '\udc00' } as const;

/** A value of the field's documented shape with the bad character inside, so only that character is wrong. */
function badValue(field: StringField, bad: string): string {
  if (field.schema.format === 'uri') return `https://push.example.com/x${bad}y`;
  if (field.schema.format === 'email') return `x${bad}y@example.com`;
  return `x${bad}y`;
}

// Closed formats (enums, ids, dates) refuse the value by their own rule, in their own words; every other
// string must be built with text()/storable() and say why.
const isFreeText = (field: StringField) => field.schema.enum === undefined && !['date-time', 'uuid'].includes(field.schema.format ?? '');

interface ErrorBody {
  issues?: { path: string; message: string }[];
}

describe('bad input gets a 400 naming the field, never a 500 (generated from the OpenAPI document)', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let operations: Operation[];
  let tokens: { staff: string; owner: string };
  let pathValues: Record<string, string>;
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    // Its own counters and a limit this many requests stay under.
    ({ app, prisma } = await startApi((config) => ({
      ...config,
      queuePrefix: uniquePrefix('bad-input'),
      rateLimit: { ...config.rateLimit, requestsPerMinute: 100_000 },
    })));
    operations = await documentedOperations(app);
    const tenant = await createTenant(prisma, 'bad-input');
    tokens = { staff: await tokenFor(app, tenant.staff.email), owner: await tokenFor(app, tenant.owner.email) };
    pathValues = { vin: tenant.vehicle.vin, id: randomUUID() };
  });

  afterAll(async () => {
    const histogram = [...statuses.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${status} x ${count}`);
    console.log(`[bad-input] ${operations.length} documented operations; answers: ${histogram.join(', ')}`);
    await app.close();
  });

  /** Sent as staff, then as the owner when staff may not call it: the check under test comes after the role. */
  async function send(operation: Operation, path: string, body: unknown): Promise<request.Response> {
    let response: request.Response | undefined;
    for (const token of [tokens.staff, tokens.owner]) {
      const call = request(app.getHttpServer())[operation.method];
      response = await call(path)
        .set('Authorization', `Bearer ${token}`)
        .send(body as object);
      if (response.status !== 403) break;
    }
    statuses.set(response!.status, (statuses.get(response!.status) ?? 0) + 1);
    return response!;
  }

  it('refuses NUL and lone surrogates in every string field of every request body', async () => {
    const cases = operations.flatMap((operation) =>
      operation.body === null ? [] : stringFieldsOf(operation.body).map((field) => ({ operation, field })),
    );
    const failures: string[] = [];
    for (const { operation, field } of cases) {
      for (const [name, bad] of Object.entries(UNSTORABLE)) {
        const response = await send(operation, fillPath(operation.path, pathValues), bodyWith(field.path, badValue(field, bad)));
        const fieldPath = field.path.join('.');
        const issues = (response.body as ErrorBody).issues ?? [];
        const named = issues.filter((issue) => issue.path === fieldPath);
        const explained = !isFreeText(field) || named.some((issue) => issue.message === UNSTORABLE_TEXT_MESSAGE);
        if (response.status !== 400 || named.length === 0 || !explained) {
          failures.push(
            `${operation.method.toUpperCase()} ${operation.path} ${fieldPath} (${name}): ${response.status} ${JSON.stringify(response.body)}`,
          );
        }
      }
    }
    console.log(
      `[bad-input] body string fields: ${cases.length}, requests: ${cases.length * Object.keys(UNSTORABLE).length}, wrong answers: ${failures.length}`,
    );
    expect(cases.length).toBeGreaterThan(25);
    expect(failures).toEqual([]);
  });

  it('refuses NUL in every path and query parameter, naming it', async () => {
    const failures: string[] = [];
    let sent = 0;
    let refusedByBodyFirst = 0;
    for (const operation of operations) {
      // The event stream's access_token is a credential, not input: a bad one is a 401 (see unknown-user.e2e.ts).
      for (const parameter of operation.parameters.filter((p) => (p.in === 'path' || p.in === 'query') && p.name !== 'access_token')) {
        const path =
          parameter.in === 'path'
            ? fillPath(operation.path, { ...pathValues, [parameter.name]: '%00' })
            : `${fillPath(operation.path, pathValues)}?${parameter.name}=x%00y`;
        const response = await send(operation, path, {});
        sent++;
        const issues = (response.body as ErrorBody).issues ?? [];
        if (response.status === 400 && !issues.some((issue) => issue.path === parameter.name) && operation.body !== null) {
          // Nest runs the body's pipe before the path's, and this empty body is refused: that is a 400 with a
          // named field too, as long as it is exactly what the same empty body gets with a good parameter.
          const control = await send(operation, fillPath(operation.path, pathValues), {});
          if (control.status === 400 && JSON.stringify((control.body as ErrorBody).issues) === JSON.stringify(issues)) {
            refusedByBodyFirst++;
            continue;
          }
        }
        if (response.status !== 400 || !issues.some((issue) => issue.path === parameter.name)) {
          failures.push(
            `${operation.method.toUpperCase()} ${operation.path} ${parameter.in} ${parameter.name}: ${response.status} ${JSON.stringify(response.body)}`,
          );
        }
      }
    }
    console.log(
      `[bad-input] path/query parameters: ${sent} requests (${refusedByBodyFirst} refused for their empty body first), wrong answers: ${failures.length}`,
    );
    expect(sent).toBeGreaterThan(15);
    expect(failures).toEqual([]);
  });

  it('answers 401, not 500, on every /me route to a well-signed token of a user that does not exist', async () => {
    const issuer = app.get(AccessTokenService);
    const ghosts = {
      'unknown user id': await issuer.issue({ userId: randomUUID(), role: 'OWNER', serviceCenterId: null, sessionId: randomUUID() }),
      'ids not UUIDs': await issuer.issue({ userId: 'not-a-user-id', role: 'OWNER', serviceCenterId: null, sessionId: 'not-a-session' }),
    };
    const meOperations = operations.filter((operation) => operation.path.startsWith('/api/v1/me'));
    const answers: string[] = [];
    for (const operation of meOperations) {
      for (const [kind, token] of Object.entries(ghosts)) {
        const call = request(app.getHttpServer())[operation.method];
        const response = await call(fillPath(operation.path, pathValues))
          .set('Authorization', `Bearer ${token}`)
          .send({ currentPassword: 'whatever it was', newPassword: 'a much longer passphrase' });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        answers.push(`${operation.method.toUpperCase()} ${operation.path} (${kind}): ${response.status}`);
      }
    }
    console.log(`[bad-input] /me operations: ${meOperations.length}, ghost-token requests: ${answers.length}`);
    expect(meOperations.map((operation) => operation.path)).toEqual(
      expect.arrayContaining(['/api/v1/me/password', '/api/v1/me/preferences', '/api/v1/me/push-subscriptions']),
    );
    expect(answers).toEqual(answers.map((answer) => answer.replace(/\d{3}$/, '401')));
  });

  it('answered no 5xx to any of the requests above', () => {
    const serverErrors = [...statuses.entries()].filter(([status]) => status >= 500).reduce((sum, [, count]) => sum + count, 0);
    expect(statuses.size).toBeGreaterThan(0);
    expect(serverErrors).toBe(0);
  });
});
