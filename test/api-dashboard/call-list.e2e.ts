import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { Component, Prisma, PrismaClient, Risk } from '#app/database';
import { closeAll, predictionData, type ScoringJobs, startApiWithOwnQueue, syncWorstRisk } from '../api-health/api-health.fixtures.js';
import { createTenant, tokenFor, uniqueVin } from '../api/api-test.fixtures.js';
import { SseReader } from '../support/sse-reader.js';

type Tenant = Awaited<ReturnType<typeof createTenant>>;

interface CallView {
  id: string;
  vin: string;
  outcome: string;
  note: string | null;
  callAgainAt: string | null;
  riskAtCall: Risk;
  staff: { id: string; name: string };
  createdAt: string;
}
interface AttentionItem {
  vin: string;
  risk: Risk;
  dueAt: string | null;
  call: { lastCall: CallView; hiddenUntil: string | null; resurfaced: string | null } | null;
}
interface Attention {
  view: string;
  items: AttentionItem[];
  handled: number;
}
interface AuditLine {
  action: string;
  actor: { id: string; name: string; role: string };
  appointmentId: string | null;
  callOutcomeId: string | null;
  detail: Record<string, unknown>;
  at: string;
}

const DAY = 24 * 3_600_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY);
const TREAD_FL = { code: 'TIRE_TREAD_WEAR', subject: 'FL', risk: 'SOON', message: 'FL tread is wearing down.', params: {} };

describe('The worked call list: call outcomes, hiding and resurfacing, scope, audit (POST/GET /api/v1/dashboard/call-list/{vin}/outcomes)', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let scoringJobs: ScoringJobs;
  let home: Tenant;
  let other: Tenant;
  let staffToken: string;
  let ownerToken: string;
  let otherStaffToken: string;

  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  /** A car of the home center with one prediction per (component, risk, due in days, findings). */
  async function car(predictions: { component: Component; risk: Risk; dueInDays: number; findings?: Prisma.InputJsonValue[] }[]) {
    const vehicle = await prisma.vehicle.create({
      data: { vin: uniqueVin(), make: 'Geely', model: 'Emgrand', year: 2020, serviceCenterId: home.center.id, ownerId: home.owner.id },
    });
    await prisma.prediction.createMany({
      data: predictions.map((p) => predictionData(vehicle.id, p.component, { risk: p.risk, dueAt: inDays(p.dueInDays), findings: p.findings ?? [] })),
    });
    await syncWorstRisk(prisma, vehicle.id);
    return vehicle;
  }

  async function attention(query = ''): Promise<Attention> {
    const response = await http().get(`/api/v1/dashboard/attention?limit=500${query}`).set(as(staffToken)).expect(200);
    return response.body as Attention;
  }

  const vinsOf = (list: Attention) => list.items.map((item) => item.vin);

  function record(vin: string, body: Record<string, unknown>, token = staffToken) {
    return http().post(`/api/v1/dashboard/call-list/${vin}/outcomes`).set(as(token)).send(body);
  }

  async function audit(vin: string): Promise<AuditLine[]> {
    const response = await http().get(`/api/v1/dashboard/vehicles/${vin}/audit`).set(as(staffToken)).expect(200);
    return (response.body as { items: AuditLine[] }).items;
  }

  beforeAll(async () => {
    ({ app, prisma, scoringJobs } = await startApiWithOwnQueue('call-list'));
    await app.listen(0, '127.0.0.1');
    home = await createTenant(prisma, 'calls-home');
    other = await createTenant(prisma, 'calls-other');
    [staffToken, ownerToken, otherStaffToken] = await Promise.all([
      tokenFor(app, home.staff.email),
      tokenFor(app, home.owner.email),
      tokenFor(app, other.staff.email),
    ]);
  });

  afterAll(async () => {
    await closeAll(app, scoringJobs);
  });

  describe('the list', () => {
    it('orders by worst risk, then the earliest due date, and shows who was never called', async () => {
      const later = await car([{ component: 'TIRES', risk: 'SOON', dueInDays: 30 }]);
      const urgent = await car([{ component: 'BATTERY', risk: 'URGENT', dueInDays: 40 }]);
      const sooner = await car([
        { component: 'TIRES', risk: 'SOON', dueInDays: 10 },
        { component: 'BATTERY', risk: 'WATCH', dueInDays: 1 },
      ]);

      const list = await attention();

      const ours = vinsOf(list).filter((vin) => [later.vin, urgent.vin, sooner.vin].includes(vin));
      expect(ours).toEqual([urgent.vin, sooner.vin, later.vin]);
      expect(list.items.find((item) => item.vin === sooner.vin)).toMatchObject({ risk: 'SOON', call: null });
    });
  });

  describe('recording an outcome', () => {
    it('NO_ANSWER: recorded with the staff member and the state called in, hidden for a day, listed under handled', async () => {
      const vehicle = await car([{ component: 'TIRES', risk: 'SOON', dueInDays: 12, findings: [TREAD_FL] }]);
      const before = Date.now();

      const response = await record(vehicle.vin, { outcome: 'NO_ANSWER', note: 'voicemail, left a message' }).expect(201);

      const call = response.body as CallView & { hiddenUntil: string; appointmentId: string | null };
      expect(call).toMatchObject({
        vin: vehicle.vin,
        outcome: 'NO_ANSWER',
        note: 'voicemail, left a message',
        riskAtCall: 'SOON',
        staff: { id: home.staff.id, name: home.staff.name },
        appointmentId: null,
      });
      const hiddenFor = new Date(call.hiddenUntil).getTime() - new Date(call.createdAt).getTime();
      expect(hiddenFor).toBe(DAY);
      expect(new Date(call.createdAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
      const row = await prisma.callOutcome.findUniqueOrThrow({ where: { id: call.id } });
      expect(row).toMatchObject({ staffId: home.staff.id, serviceCenterId: home.center.id, findingKeys: ['TIRES:TIRE_TREAD_WEAR:FL'] });

      expect(vinsOf(await attention())).not.toContain(vehicle.vin);
      const handled = await attention('&view=handled');
      expect(handled.handled).toBeGreaterThanOrEqual(1);
      expect(handled.items.find((item) => item.vin === vehicle.vin)?.call).toMatchObject({
        lastCall: { outcome: 'NO_ANSWER', staff: { name: home.staff.name } },
        hiddenUntil: call.hiddenUntil,
        resurfaced: null,
      });
    });

    it('comes back when the hold has ended (a NO_ANSWER two days ago)', async () => {
      const vehicle = await car([{ component: 'TIRES', risk: 'SOON', dueInDays: 12 }]);
      const call = (await record(vehicle.vin, { outcome: 'NO_ANSWER' }).expect(201)).body as CallView;
      await prisma.callOutcome.update({ where: { id: call.id }, data: { createdAt: new Date(Date.now() - 2 * DAY) } });

      const item = (await attention()).items.find((entry) => entry.vin === vehicle.vin);

      expect(item?.call).toMatchObject({ lastCall: { id: call.id }, hiddenUntil: null, resurfaced: 'hold-ended' });
    });

    it('DECLINED comes back at once when the risk rises', async () => {
      const vehicle = await car([{ component: 'BATTERY', risk: 'SOON', dueInDays: 20 }]);
      await record(vehicle.vin, { outcome: 'DECLINED', note: 'will do it at home' }).expect(201);
      expect(vinsOf(await attention())).not.toContain(vehicle.vin);

      await prisma.prediction.updateMany({ where: { vehicleId: vehicle.id }, data: { risk: 'URGENT' } });
      await syncWorstRisk(prisma, vehicle.id);

      const item = (await attention()).items.find((entry) => entry.vin === vehicle.vin);
      expect(item).toMatchObject({ risk: 'URGENT', call: { lastCall: { outcome: 'DECLINED' }, resurfaced: 'risk-rose' } });
    });

    it('CALL_AGAIN holds until its date, and a new finding at the same risk brings the car back', async () => {
      const vehicle = await car([{ component: 'TIRES', risk: 'SOON', dueInDays: 20, findings: [TREAD_FL] }]);
      const callAgainAt = inDays(14).toISOString();
      const call = (await record(vehicle.vin, { outcome: 'CALL_AGAIN', callAgainAt }).expect(201)).body as CallView & { hiddenUntil: string };
      expect(call.hiddenUntil).toBe(callAgainAt);
      expect(vinsOf(await attention())).not.toContain(vehicle.vin);

      await prisma.prediction.updateMany({
        where: { vehicleId: vehicle.id },
        data: { findings: [TREAD_FL, { ...TREAD_FL, subject: 'RR', message: 'RR tread is wearing down.' }] },
      });

      expect((await attention()).items.find((entry) => entry.vin === vehicle.vin)?.call?.resurfaced).toBe('new-finding');
    });

    it('BOOKED with a slot makes a confirmed appointment, shown in that week, and both are in the audit trail', async () => {
      const vehicle = await car([{ component: 'ENGINE_COOLING', risk: 'URGENT', dueInDays: 5 }]);
      const slot = inDays(3);

      const response = await record(vehicle.vin, { outcome: 'BOOKED', appointmentAt: slot.toISOString(), note: 'Thursday morning' }).expect(201);

      const { appointmentId, id: callId } = response.body as { appointmentId: string; id: string };
      expect(appointmentId).toEqual(expect.any(String));
      const week = await http()
        .get(`/api/v1/appointments?from=${encodeURIComponent(inDays(0).toISOString())}&to=${encodeURIComponent(inDays(7).toISOString())}&limit=200`)
        .set(as(staffToken))
        .expect(200);
      expect((week.body as { id: string; status: string; scheduledAt: string }[]).find((a) => a.id === appointmentId)).toMatchObject({
        status: 'CONFIRMED',
        scheduledAt: slot.toISOString(),
      });
      const [line] = await audit(vehicle.vin);
      expect(line).toMatchObject({
        action: 'call.BOOKED',
        actor: { id: home.staff.id, name: home.staff.name, role: 'STAFF' },
        callOutcomeId: callId,
        appointmentId,
        detail: { note: 'Thursday morning', appointmentScheduledAt: slot.toISOString() },
      });
    });

    it("tells the owner's open session of a slot booked on the phone, after the commit", async () => {
      const vehicle = await car([{ component: 'TIRES', risk: 'URGENT', dueInDays: 5 }]);
      const { port } = app.getHttpServer().address() as AddressInfo;
      const stream = await new Promise<SseReader>((resolve, reject) => {
        get({ host: '127.0.0.1', port, path: '/api/v1/me/events', headers: { Accept: 'text/event-stream', ...as(ownerToken) } }, (response) =>
          resolve(new SseReader(response)),
        ).on('error', reject);
      });
      try {
        await stream.next((frame) => frame.includes(': connected'));

        const response = await record(vehicle.vin, { outcome: 'BOOKED', appointmentAt: inDays(1).toISOString() }).expect(201);

        const { appointmentId } = response.body as { appointmentId: string };
        const frame = await stream.next((f) => f.startsWith('event: appointment') && f.includes(appointmentId));
        expect(frame).toContain('"status":"CONFIRMED"');
      } finally {
        stream.response.destroy();
      }
    });

    it('lists a car’s calls newest first', async () => {
      const vehicle = await car([{ component: 'TIRES', risk: 'SOON', dueInDays: 12 }]);
      await record(vehicle.vin, { outcome: 'NO_ANSWER' }).expect(201);
      await record(vehicle.vin, { outcome: 'CALLED', note: 'thinking about it' }).expect(201);

      const response = await http().get(`/api/v1/dashboard/call-list/${vehicle.vin}/outcomes`).set(as(staffToken)).expect(200);

      expect((response.body as { items: CallView[] }).items.map((call) => call.outcome)).toEqual(['CALLED', 'NO_ANSWER']);
      expect((await audit(vehicle.vin)).map((line) => line.action)).toEqual(['call.CALLED', 'call.NO_ANSWER']);
    });
  });

  it('documents the new endpoints and parameters in the OpenAPI document', async () => {
    const response = await http().get('/docs-json').expect(200);
    const paths = (response.body as { paths: Record<string, Record<string, { parameters?: { name: string }[]; requestBody?: unknown }>> }).paths;
    expect(paths['/api/v1/dashboard/call-list/{vin}/outcomes']?.post?.requestBody).toMatchObject({
      content: { 'application/json': { schema: { properties: { outcome: { enum: ['CALLED', 'NO_ANSWER', 'BOOKED', 'DECLINED', 'CALL_AGAIN'] } } } } },
    });
    expect(paths['/api/v1/dashboard/call-list/{vin}/outcomes']?.get).toBeDefined();
    expect(paths['/api/v1/dashboard/vehicles/{vin}/audit']?.get).toBeDefined();
    expect(paths['/api/v1/appointments/{id}/reschedule']?.post?.requestBody).toBeDefined();
    expect(paths['/api/v1/appointments']?.get?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['from', 'to']));
  });

  describe('bad input is a 4xx with a reason', () => {
    it.each([
      ['CALL_AGAIN without a date', { outcome: 'CALL_AGAIN' }, 'callAgainAt', 'is required when the outcome is CALL_AGAIN'],
      ['a date on another outcome', { outcome: 'CALLED', callAgainAt: inDays(3).toISOString() }, 'callAgainAt', 'is only for the outcome CALL_AGAIN'],
      [
        'a slot on another outcome',
        { outcome: 'DECLINED', appointmentAt: inDays(3).toISOString() },
        'appointmentAt',
        'is only for the outcome BOOKED',
      ],
      [
        'a call-again date in the past',
        { outcome: 'CALL_AGAIN', callAgainAt: '2020-01-01T00:00:00Z' },
        'callAgainAt',
        'must be in the next 180 days',
      ],
      [
        'a call-again date next year',
        { outcome: 'CALL_AGAIN', callAgainAt: inDays(200).toISOString() },
        'callAgainAt',
        'must be in the next 180 days',
      ],
      ['an unknown outcome', { outcome: 'MAYBE' }, 'outcome', 'Invalid option'],
      ['a note over 2000 characters', { outcome: 'CALLED', note: 'x'.repeat(2001) }, 'note', 'Too big'],
      ['a NUL in the note', { outcome: 'CALLED', note: 'a\u0000b' }, 'note', 'must not contain a NUL character'],
      ['an unknown field', { outcome: 'CALLED', extra: 1 }, '', 'Unrecognized key'],
    ])('%s: 400 naming the field', async (_label, body, path, message) => {
      const response = await record(home.vehicle.vin, body).expect(400);
      const issues = (response.body as { issues: { path: string; message: string }[] }).issues;
      expect(issues).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringContaining(message) as string })]));
    });

    it('a malformed VIN is a 400, a car never scored a 409', async () => {
      await record('NOT-A-VIN', { outcome: 'CALLED' }).expect(400);
      const response = await record(home.vehicle.vin, { outcome: 'CALLED' }).expect(409);
      expect((response.body as { message: string }).message).toContain('has no prediction yet');
    });
  });

  describe('scope', () => {
    it('an owner gets 403; staff of another center get 404 for the outcomes, the history and the audit', async () => {
      const vehicle = await car([{ component: 'TIRES', risk: 'SOON', dueInDays: 12 }]);
      await record(vehicle.vin, { outcome: 'CALLED' }, ownerToken).expect(403);
      await http().get(`/api/v1/dashboard/call-list/${vehicle.vin}/outcomes`).set(as(ownerToken)).expect(403);
      await record(vehicle.vin, { outcome: 'CALLED' }, otherStaffToken).expect(404);
      await http().get(`/api/v1/dashboard/call-list/${vehicle.vin}/outcomes`).set(as(otherStaffToken)).expect(404);
      await http().get(`/api/v1/dashboard/vehicles/${vehicle.vin}/audit`).set(as(otherStaffToken)).expect(404);
      expect(await prisma.callOutcome.count({ where: { vehicleId: vehicle.id } })).toBe(0);
    });

    it("another center's call list does not show the home center's cars", async () => {
      const vehicle = await car([{ component: 'TIRES', risk: 'URGENT', dueInDays: 12 }]);
      const otherList = await http().get('/api/v1/dashboard/attention?limit=500').set(as(otherStaffToken)).expect(200);
      expect(vinsOf(otherList.body as Attention)).not.toContain(vehicle.vin);
      expect(vinsOf(await attention())).toContain(vehicle.vin);
    });
  });

  describe('appointments: reschedule, decline, complete with a service record and a rescore, audited', () => {
    async function bookedBySlot(component: Component = 'BATTERY') {
      const vehicle = await car([{ component, risk: 'URGENT', dueInDays: 5 }]);
      const response = await record(vehicle.vin, { outcome: 'BOOKED', appointmentAt: inDays(2).toISOString() }).expect(201);
      return { vehicle, appointmentId: (response.body as { appointmentId: string }).appointmentId };
    }

    const act = (id: string, action: string, body: Record<string, unknown>, token = staffToken) =>
      http().post(`/api/v1/appointments/${id}/${action}`).set(as(token)).send(body);

    it('reschedules a confirmed appointment, noting it, and refuses to reschedule a requested one', async () => {
      const { vehicle, appointmentId } = await bookedBySlot();
      const newSlot = inDays(4).toISOString();

      const response = await act(appointmentId, 'reschedule', { scheduledAt: newSlot, reason: 'parts arrive Friday' }).expect(200);

      expect((response.body as { appointment: unknown }).appointment).toMatchObject({
        status: 'CONFIRMED',
        scheduledAt: newSlot,
        notes: `Rescheduled to ${newSlot}: parts arrive Friday`,
      });
      expect((await audit(vehicle.vin))[0]).toMatchObject({
        action: 'appointment.reschedule',
        actor: { id: home.staff.id },
        appointmentId,
        detail: { from: 'CONFIRMED', to: 'CONFIRMED', scheduledAt: newSlot, reason: 'parts arrive Friday' },
      });
      const requested = await prisma.appointment.create({
        data: { vehicleId: vehicle.id, serviceCenterId: home.center.id, ownerId: home.owner.id, preferredAt: inDays(3) },
      });
      const refused = await act(requested.id, 'reschedule', { scheduledAt: newSlot }).expect(409);
      expect((refused.body as { message: string }).message).toBe('Cannot reschedule an appointment that is REQUESTED');
      await act(appointmentId, 'reschedule', { scheduledAt: 'next week' }).expect(400);
      await act(appointmentId, 'reschedule', { scheduledAt: newSlot }, otherStaffToken).expect(404);
    });

    it('completing without an open reminder needs serviceKind (400 with the reason)', async () => {
      const { appointmentId } = await bookedBySlot();

      const response = await act(appointmentId, 'complete', {}).expect(400);

      expect(response.body).toMatchObject({
        error: 'ServiceKindRequiredError',
        issues: [{ path: 'serviceKind', message: expect.stringContaining('is required') as string }],
      });
      expect((await prisma.appointment.findUniqueOrThrow({ where: { id: appointmentId } })).status).toBe('CONFIRMED');
    });

    it('complete records the service by the staff member, asks for a rescore, and is audited', async () => {
      const { vehicle, appointmentId } = await bookedBySlot();

      const response = await act(appointmentId, 'complete', { serviceKind: 'BATTERY_REPLACEMENT', odometerKm: 61_000, notes: 'new 60 Ah' }).expect(
        200,
      );

      const body = response.body as { appointment: { status: string }; serviceRecord: { id: string; kind: string }; rescoreRequested: boolean };
      expect(body).toMatchObject({ appointment: { status: 'COMPLETED' }, serviceRecord: { kind: 'BATTERY_REPLACEMENT' }, rescoreRequested: true });
      const record = await prisma.serviceRecord.findUniqueOrThrow({ where: { id: body.serviceRecord.id } });
      expect(record).toMatchObject({
        vehicleId: vehicle.id,
        serviceCenterId: home.center.id,
        createdById: home.staff.id,
        odometerKm: 61_000,
        notes: 'new 60 Ah',
      });
      expect(await scoringJobs.forVehicle(vehicle.id)).toEqual([expect.objectContaining({ vehicleId: vehicle.id, reason: 'service-record' })]);
      const marked = await prisma.vehicle.findUniqueOrThrow({ where: { id: vehicle.id } });
      expect(marked.telemetryVersion).toBeGreaterThan(marked.scoredVersion);
      expect((await audit(vehicle.vin))[0]).toMatchObject({
        action: 'appointment.complete',
        actor: { id: home.staff.id },
        detail: { from: 'CONFIRMED', to: 'COMPLETED', serviceRecordIds: [record.id], serviceKinds: ['BATTERY_REPLACEMENT'] },
      });
      await act(appointmentId, 'complete', { serviceKind: 'BATTERY_REPLACEMENT' }).expect(409);
    });

    /** A SOON tyre reminder of the car's owner, due in 12 days, booked by the owner: its appointment to complete. */
    async function ownerBooksTyreReminder(vehicle: { id: string }, dedupKey: string, content: Record<string, unknown>) {
      const reminder = await prisma.reminder.create({
        data: {
          vehicleId: vehicle.id,
          ownerId: home.owner.id,
          serviceCenterId: home.center.id,
          component: 'TIRES',
          dedupKey,
          visitKey: `${vehicle.id}:visit:TIRES`,
          risk: 'SOON',
          dueAt: inDays(12),
          content: {
            component: 'TIRES',
            risk: 'SOON',
            dueAt: inDays(12).toISOString(),
            dueOdometerKm: null,
            vehicle: { make: 'Geely', model: 'Emgrand', plate: null },
            ...content,
          },
        },
      });
      const booked = await http()
        .post(`/api/v1/reminders/${reminder.id}/book`)
        .set(as(ownerToken))
        .send({ preferredAt: inDays(2).toISOString() })
        .expect(200);
      return { reminder, appointmentId: (booked.body as { appointment: { id: string } }).appointment.id };
    }

    it("complete of an owner's booking records the reminder's own work without serviceKind", async () => {
      const vehicle = await car([{ component: 'TIRES', risk: 'SOON', dueInDays: 12, findings: [TREAD_FL] }]);
      const { reminder, appointmentId } = await ownerBooksTyreReminder(vehicle, `${vehicle.id}:TIRES:TIRE_TREAD_WEAR:FL`, {
        finding: { ...TREAD_FL, params: { wheel: 'FL', treadMm: 2.4, daysToLimit: 12 } },
      });

      const response = await act(appointmentId, 'complete', {}).expect(200);

      expect((response.body as { serviceRecord: unknown }).serviceRecord).toMatchObject({ kind: 'TIRE_REPLACEMENT', positions: ['FL'] });
      expect((await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).status).toBe('DONE');
    });

    it("complete of a visit's booking writes a record per kind of work and answers with all of them", async () => {
      const leakRr = { code: 'TIRE_SLOW_LEAK', subject: 'RR', risk: 'SOON', message: 'RR is losing pressure.', params: { wheel: 'RR' } };
      const vehicle = await car([{ component: 'TIRES', risk: 'SOON', dueInDays: 12, findings: [TREAD_FL, leakRr] }]);
      const item = (finding: typeof TREAD_FL) => ({ component: 'TIRES', risk: 'SOON', status: 'OPEN', finding, dueAt: inDays(12).toISOString() });
      const { reminder, appointmentId } = await ownerBooksTyreReminder(vehicle, `${vehicle.id}:visit:TIRES`, {
        finding: TREAD_FL,
        visit: 'TIRES',
        items: [item(TREAD_FL), item(leakRr)],
      });

      const response = await act(appointmentId, 'complete', { odometerKm: 48_200 }).expect(200);

      const body = response.body as { serviceRecord: { id: string }; serviceRecords: { id: string; kind: string; positions: string[] }[] };
      expect(body.serviceRecords.map((record) => [record.kind, record.positions])).toEqual([
        ['TIRE_REPLACEMENT', ['FL']],
        ['PUNCTURE_REPAIR', ['RR']],
      ]);
      expect(body.serviceRecord.id).toBe(body.serviceRecords[0]?.id);
      const stored = await prisma.serviceRecord.findMany({ where: { vehicleId: vehicle.id }, orderBy: { kind: 'asc' } });
      expect(stored.map((record) => [record.kind, record.odometerKm, record.reminderId])).toEqual([
        ['TIRE_REPLACEMENT', 48_200, reminder.id],
        ['PUNCTURE_REPAIR', 48_200, reminder.id],
      ]);
      expect((await audit(vehicle.vin))[0]).toMatchObject({
        action: 'appointment.complete',
        detail: { serviceRecordIds: body.serviceRecords.map((record) => record.id), serviceKinds: ['TIRE_REPLACEMENT', 'PUNCTURE_REPAIR'] },
      });
    });

    it('decline is audited with its reason; owners cannot decline (403)', async () => {
      const { vehicle, appointmentId } = await bookedBySlot();
      await act(appointmentId, 'decline', { reason: 'no lift free' }, ownerToken).expect(403);

      await act(appointmentId, 'decline', { reason: 'no lift free' }).expect(200);

      expect((await audit(vehicle.vin))[0]).toMatchObject({
        action: 'appointment.decline',
        detail: { from: 'CONFIRMED', to: 'DECLINED', reason: 'no lift free' },
      });
    });

    it('the day/week range must be a valid one', async () => {
      const bad = await http()
        .get(`/api/v1/appointments?from=${encodeURIComponent(inDays(1).toISOString())}`)
        .set(as(staffToken))
        .expect(400);
      expect((bad.body as { message: string }).message).toContain('from and to go together');
      await http()
        .get(`/api/v1/appointments?from=${encodeURIComponent(inDays(1).toISOString())}&to=${encodeURIComponent(inDays(0).toISOString())}`)
        .set(as(staffToken))
        .expect(400);
    });
  });
});
