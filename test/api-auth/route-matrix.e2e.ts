import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import fc from 'fast-check';
import type { PrismaClient } from '#app/database';
import { createTenant, startApi, tokenFor } from '../api/api-test.fixtures.js';
import { createReminder, uniquePrefix } from '../api-reminders/reminder-test.fixtures.js';
import { documentedOperations, fillPath, type JsonSchema, type Operation } from '../support/openapi-operations.js';

/**
 * The only operations anyone may call without a token. A new public route fails the matrix until it is
 * added here on purpose; every other documented operation must refuse no token and a forged one.
 */
const PUBLIC_OPERATIONS = new Set([
  'POST /api/v1/auth/login',
  'GET /api/v1/push/vapid-public-key',
  'POST /api/v1/push/subscription-change',
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
]);

/** The fuzzer's seed and runs per operation: the same requests every run, so a 5xx found once is found again. */
const FUZZ_SEED = 20_261_206;
const FUZZ_RUNS_PER_OPERATION = 30;

const key = (operation: Operation) => `${operation.method.toUpperCase()} ${operation.path}`;

/** A value of the schema's documented shape (what a well-behaved client sends), so a refusal is the scope's, not the validator's. */
function sampleOf(schema: JsonSchema, name: string, ids: SampleIds): unknown {
  const choice = schema.anyOf?.[0] ?? schema.oneOf?.[0] ?? schema.allOf?.[0];
  if (choice) return sampleOf(choice, name, ids);
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([property, inner]) => [property, sampleOf(inner, property, ids)]));
    case 'array':
      return schema.items ? [sampleOf(schema.items, name, ids)] : [];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'email') return `matrix-${randomUUID().slice(0, 8)}@test.carhealth.local`;
      if (schema.format === 'date-time') return new Date(Date.now() + 2 * 86_400_000).toISOString();
      if (schema.format === 'uuid') return ids.uuid;
      if (schema.format === 'uri') return 'https://push.example.com/matrix';
      if (name === 'vin') return ids.vin;
      return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
    default:
      return null;
  }
}

interface SampleIds {
  vin: string;
  uuid: string;
}

interface Answer {
  status: number;
  body: string;
}

describe('route x role matrix and HTTP fuzzer, generated from the OpenAPI document', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let base: string;
  let operations: Operation[];
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    ({ app, prisma } = await startApi((config) => ({
      ...config,
      queuePrefix: uniquePrefix('route-matrix'),
      rateLimit: { ...config.rateLimit, requestsPerMinute: 1_000_000 },
    })));
    // Listening for real: fetch reads the status of an event stream and lets it go, where supertest would wait for its end.
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    operations = await documentedOperations(app);
  });

  afterAll(async () => {
    const histogram = [...statuses.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${status} x ${count}`);
    console.log(`[route-matrix] all answers: ${histogram.join(', ')}`);
    await app.close();
  });

  async function call(operation: Operation, path: string, token: string | null, body: unknown): Promise<Answer> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    const hasBody = operation.method !== 'get' && operation.method !== 'delete';
    if (hasBody) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${base}${path}`, {
      method: operation.method.toUpperCase(),
      headers,
      body: hasBody ? JSON.stringify(body ?? {}) : undefined,
    });
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    // An event stream never ends: its status and headers are the answer.
    if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
      await response.body?.cancel();
      return { status: response.status, body: '' };
    }
    return { status: response.status, body: await response.text() };
  }

  it("gives no 2xx outside the caller's scope: no token, forged tokens, each role, another center's staff, other principals' ids", async () => {
    // Tenant B holds what everyone else must not reach; tenant A's staff, admin and owner are the outsiders.
    const a = await createTenant(prisma, 'matrix-a');
    const b = await createTenant(prisma, 'matrix-b');
    const adminA = await prisma.user.create({
      data: {
        email: `matrix-admin-${randomUUID().slice(0, 8)}@test.carhealth.local`,
        passwordHash: a.staff.passwordHash,
        role: 'ADMIN',
        name: 'matrix admin',
        serviceCenterId: a.center.id,
      },
    });
    const reminderB = await createReminder(prisma, b, { subject: 'RR' });
    const appointmentB = await prisma.appointment.create({
      data: {
        vehicleId: b.vehicle.id,
        serviceCenterId: b.center.id,
        ownerId: b.owner.id,
        reminderId: reminderB.id,
        preferredAt: new Date(Date.now() + 86_400_000),
        notes: 'matrix',
      },
    });
    const deviceB = await prisma.device.create({
      data: { vehicleId: b.vehicle.id, serial: `MATRIXB${randomBytes(4).toString('hex').toUpperCase()}`, credentialHash: 'not-used' },
    });
    const subscriptionB = await prisma.pushSubscription.create({
      data: { userId: b.owner.id, endpoint: `https://push.example.com/matrix-${randomUUID()}`, p256dh: 'p256dh', auth: 'auth' },
    });
    const idsOfB = [reminderB.id, appointmentB.id, deviceB.id, subscriptionB.id];
    // What B's data looks like in an answer: any of these in an outsider's 2xx is a leak.
    const markersOfB = [b.vehicle.vin, b.owner.email, b.staff.email, b.owner.id, b.staff.id, b.center.id, b.vehicle.id, ...idsOfB];

    const staffBToken = await tokenFor(app, b.staff.email);
    const staffBClaims = JSON.parse(Buffer.from(staffBToken.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    const forgedSecret = await new JwtService({ secret: randomBytes(32).toString('hex') }).signAsync(staffBClaims);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${staffBToken.split('.')[1]}.`;
    const outsiders: Record<string, string | null> = {
      'no token': null,
      'forged (other secret)': forgedSecret,
      'forged (alg none)': unsigned,
      'staff of center A': await tokenFor(app, a.staff.email),
      'admin of center A': await tokenFor(app, adminA.email),
      'owner A': await tokenFor(app, a.owner.email),
    };
    const anonymous = new Set(['no token', 'forged (other secret)', 'forged (alg none)']);

    const leaks: string[] = [];
    let calls = 0;
    const perPrincipal = new Map<string, number>();
    // Logout last: it would end the session the other rows use (it is its own principal's only).
    const ordered = [...operations].sort((x, y) => Number(x.path.endsWith('/logout')) - Number(y.path.endsWith('/logout')));
    for (const operation of ordered) {
      const pathNames = [...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
      // Every id of B for an `{id}`: a new route on any of B's things is probed without being named here.
      const variants = pathNames.includes('id') ? idsOfB.map((id) => ({ vin: b.vehicle.vin, id })) : [{ vin: b.vehicle.vin, id: reminderB.id }];
      const isPublic = PUBLIC_OPERATIONS.has(key(operation));
      for (const values of variants) {
        const path = fillPath(operation.path, values);
        const body = operation.body ? sampleOf(operation.body, '', { vin: b.vehicle.vin, uuid: values.id }) : undefined;
        for (const [principal, token] of Object.entries(outsiders)) {
          if (isPublic && anonymous.has(principal) && pathNames.length === 0) continue;
          const answer = await call(operation, path, token, body);
          calls++;
          perPrincipal.set(principal, (perPrincipal.get(principal) ?? 0) + 1);
          const ok = answer.status >= 200 && answer.status < 300;
          const reachedB = pathNames.length > 0 || markersOfB.some((marker) => answer.body.includes(marker));
          if (!isPublic && anonymous.has(principal) && answer.status !== 401) leaks.push(`${key(operation)} as ${principal}: ${answer.status}`);
          else if (ok && reachedB && !isPublic)
            leaks.push(`${key(operation)} ${path} as ${principal}: ${answer.status} ${answer.body.slice(0, 200)}`);
          else if (ok && markersOfB.some((marker) => answer.body.includes(marker)))
            leaks.push(`${key(operation)} as ${principal}: B's data in ${answer.body.slice(0, 200)}`);
        }
      }
    }
    const principals = Object.keys(outsiders).length;
    console.log(
      `[route-matrix] ${operations.length} operations x ${principals} principals (${[...perPrincipal.keys()].join(', ')}), ${calls} calls with B's ids; 2xx or wrong answers outside scope: ${leaks.length}`,
    );
    // The control: the same calls reach B's things for B's own staff, so the refusals above are the scope's.
    const vehicleOperation = operations.find((operation) => key(operation) === 'GET /api/v1/vehicles/{vin}')!;
    const control = await call(vehicleOperation, fillPath(vehicleOperation.path, { vin: b.vehicle.vin }), staffBToken, undefined);
    expect(control).toEqual({ status: 200, body: expect.stringContaining(b.vehicle.vin) });
    expect(operations.length).toBeGreaterThan(35);
    expect(leaks).toEqual([]);
  });

  it('answers no 5xx to fuzzed requests on every operation (fast-check, fixed seed)', async () => {
    const tenant = await createTenant(prisma, 'fuzz');
    const tokens = [await tokenFor(app, tenant.staff.email), await tokenFor(app, tenant.owner.email)];
    const reminder = await createReminder(prisma, tenant, { subject: 'FL' });
    // Logging out would end the fuzzer's own session and turn the rest into 401s.
    const fuzzed = operations.filter((operation) => !operation.path.endsWith('/logout'));
    const serverErrors: string[] = [];
    let sent = 0;
    let answered = 0;

    const anyJson = fc.jsonValue({ maxDepth: 2 });
    const anyText = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom('', ' ', '%', '..', '0', '-1', 'null', '9'.repeat(400)),
    );
    const fieldOf = (schema: JsonSchema, name: string): fc.Arbitrary<unknown> =>
      fc.oneof(
        { weight: 2, arbitrary: fc.constant(sampleOf(schema, name, { vin: tenant.vehicle.vin, uuid: reminder.id })) },
        { weight: 1, arbitrary: schema.type === 'object' && schema.properties ? bodyOf(schema) : anyText },
        { weight: 1, arbitrary: anyJson },
      );
    const bodyOf = (schema: JsonSchema): fc.Arbitrary<unknown> =>
      schema.properties
        ? fc.record(Object.fromEntries(Object.entries(schema.properties).map(([name, inner]) => [name, fieldOf(inner, name)])), { requiredKeys: [] })
        : fieldOf(schema, '');

    for (const [index, operation] of fuzzed.entries()) {
      const pathNames = [...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
      const queryNames = operation.parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name);
      const pathValue = (name: string) =>
        fc.oneof(
          fc.constant(name === 'vin' ? tenant.vehicle.vin : reminder.id),
          anyText.filter((text) => text.length > 0),
        );
      const request = fc.record({
        token: fc.constantFrom(...tokens),
        path: fc.record(Object.fromEntries(pathNames.map((name) => [name, pathValue(name)]))),
        query: fc.record(Object.fromEntries(queryNames.map((name) => [name, anyText])), { requiredKeys: [] }),
        body: operation.body ? fc.oneof(bodyOf(operation.body), anyJson) : fc.constant(undefined),
      });
      await fc
        .assert(
          fc.asyncProperty(request, async ({ token, path, query, body }) => {
            const encoded = Object.fromEntries(Object.entries(path).map(([name, value]) => [name, encodeURIComponent(String(value))]));
            const search = new URLSearchParams(Object.entries(query).map(([name, value]): [string, string] => [name, String(value)])).toString();
            sent++;
            const answer = await call(operation, `${fillPath(operation.path, encoded)}${search ? `?${search}` : ''}`, token, body);
            answered++;
            if (answer.status >= 500)
              serverErrors.push(`${key(operation)} ${JSON.stringify({ path, query, body })}: ${answer.status} ${answer.body.slice(0, 200)}`);
            return answer.status < 500;
          }),
          // One seed per operation, derived from the fixed one: adding a route does not change the others' requests.
          { seed: FUZZ_SEED + index, numRuns: FUZZ_RUNS_PER_OPERATION, endOnFailure: true },
        )
        .catch((error: unknown) => serverErrors.push(String(error).split('\n').slice(0, 4).join(' ')));
    }
    console.log(
      `[http-fuzz] seed ${FUZZ_SEED}, ${fuzzed.length} operations x ${FUZZ_RUNS_PER_OPERATION} runs: sent ${sent}, answered ${answered}, 5xx ${serverErrors.length}`,
    );
    expect(answered).toBe(sent);
    expect(sent).toBe(fuzzed.length * FUZZ_RUNS_PER_OPERATION);
    expect(serverErrors).toEqual([]);
  });
});
