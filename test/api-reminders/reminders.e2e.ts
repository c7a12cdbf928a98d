import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import request from 'supertest';
import { loadApiConfig } from '#app/config';
import type { PrismaClient } from '#app/database';
import { QueueName } from '#app/queue';
import { createTenant, startApi, tokenFor } from '../api/api-test.fixtures.js';
import { createReminder, type Tenant, uniquePrefix } from './reminder-test.fixtures.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

describe('Owner reminders API', () => {
  const queuePrefix = uniquePrefix('queue');
  let app: INestApplication;
  let prisma: PrismaClient;
  let redis: Redis;
  let scoringQueue: Queue;
  let home: Tenant;
  let other: Tenant;
  let ownerToken: string;
  let staffToken: string;
  let otherOwnerToken: string;

  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    ({ app, prisma } = await startApi((config) => ({ ...config, queuePrefix })));
    redis = new Redis(loadApiConfig().redisUrl, { maxRetriesPerRequest: null });
    scoringQueue = new Queue(QueueName.Scoring, { connection: redis, prefix: queuePrefix });
    home = await createTenant(prisma, 'reminders-home');
    other = await createTenant(prisma, 'reminders-other');
    [ownerToken, staffToken, otherOwnerToken] = await Promise.all([
      tokenFor(app, home.owner.email),
      tokenFor(app, home.staff.email),
      tokenFor(app, other.owner.email),
    ]);
  });

  afterAll(async () => {
    await scoringQueue.obliterate({ force: true });
    await scoringQueue.close();
    await redis.quit();
    await app.close();
  });

  describe('GET /api/v1/me/reminders', () => {
    it('lists active reminders first, newest first, rendered in the owner language with delivery summaries', async () => {
      const tenant = await createTenant(prisma, 'reminders-feed');
      const token = await tokenFor(app, tenant.owner.email);
      await prisma.notificationPreference.create({ data: { userId: tenant.owner.id, language: 'zh' } });
      const oldOpen = await createReminder(prisma, tenant, { subject: 'FL', createdAt: inDays(-3) });
      const resolved = await createReminder(prisma, tenant, { subject: 'RR', status: 'RESOLVED', createdAt: inDays(-1) });
      const newOpen = await createReminder(prisma, tenant, { subject: 'FR', risk: 'URGENT', createdAt: inDays(-2) });
      const sentAt = inDays(-2);
      await prisma.notificationDelivery.createMany({
        data: [
          {
            reminderId: newOpen.id,
            userId: tenant.owner.id,
            channel: 'EMAIL',
            notificationKey: 'v1n1',
            status: 'SENT',
            attempts: 1,
            sentAt,
            createdAt: sentAt,
          },
          // An e-mail failure is about our SMTP relay: not the owner's to read.
          {
            reminderId: newOpen.id,
            userId: tenant.owner.id,
            channel: 'EMAIL',
            notificationKey: 'v1n2',
            status: 'FAILED',
            attempts: 3,
            createdAt: inDays(-1),
            lastError: '451 relay.internal busy',
          },
          {
            reminderId: newOpen.id,
            userId: tenant.owner.id,
            channel: 'WEB_PUSH',
            notificationKey: 'v1n1',
            status: 'SENT',
            attempts: 1,
            sentAt,
            createdAt: sentAt,
          },
          // The owner's own webhook URL was refused: theirs to fix, so they see why.
          {
            reminderId: newOpen.id,
            userId: tenant.owner.id,
            channel: 'WEBHOOK',
            notificationKey: 'v1n1',
            status: 'FAILED',
            attempts: 1,
            createdAt: sentAt,
            lastError: 'refused target: 10.0.0.1 is a private address',
          },
        ],
      });

      const response = await http().get('/api/v1/me/reminders').set(as(token)).expect(200);

      expect(response.body.items.map((r: { id: string }) => r.id)).toEqual([newOpen.id, oldOpen.id, resolved.id]);
      const first = response.body.items[0];
      expect(first).toMatchObject({
        vehicle: { vin: tenant.vehicle.vin, make: 'Toyota', model: 'Corolla' },
        component: 'TIRES',
        finding: { code: 'TIRE_TREAD_WEAR', subject: 'FR' },
        risk: 'URGENT',
        status: 'OPEN',
        dueAt: newOpen.dueAt?.toISOString(),
        snoozedUntil: null,
      });
      // Chinese: the risk label of URGENT and the Chinese "why" label.
      expect(first.title).toMatch(/^紧急：/);
      expect(first.text).toContain('原因');
      // The app's language toggle before it is saved: the same reminder in the language asked for.
      const english = await http().get('/api/v1/me/reminders?lang=en').set(as(token)).expect(200);
      expect(english.body.items[0].title).toMatch(/^Urgent: /);
      await http().get('/api/v1/me/reminders?lang=fr').set(as(token)).expect(400);
      expect(first.deliveries).toEqual([
        {
          channel: 'EMAIL',
          status: 'FAILED',
          notificationKey: 'v1n2',
          attempts: 3,
          lastSentAt: sentAt.toISOString(),
          notifications: 2,
          lastError: null,
        },
        {
          channel: 'WEB_PUSH',
          status: 'SENT',
          notificationKey: 'v1n1',
          attempts: 1,
          lastSentAt: sentAt.toISOString(),
          notifications: 1,
          lastError: null,
        },
        {
          channel: 'WEBHOOK',
          status: 'FAILED',
          notificationKey: 'v1n1',
          attempts: 1,
          lastSentAt: null,
          notifications: 1,
          lastError: 'refused target: 10.0.0.1 is a private address',
        },
      ]);
    });

    it('filters by status and limit', async () => {
      const tenant = await createTenant(prisma, 'reminders-filter');
      const token = await tokenFor(app, tenant.owner.email);
      await createReminder(prisma, tenant, { subject: 'FL' });
      const done = await createReminder(prisma, tenant, { subject: 'FR', status: 'DONE' });

      const closed = await http().get('/api/v1/me/reminders?status=closed').set(as(token)).expect(200);
      const limited = await http().get('/api/v1/me/reminders?limit=1').set(as(token)).expect(200);

      expect(closed.body.items.map((r: { id: string }) => r.id)).toEqual([done.id]);
      expect(limited.body.items).toHaveLength(1);
      expect(limited.body.items[0].status).toBe('OPEN');
      await http().get('/api/v1/me/reminders?status=LOST').set(as(token)).expect(400);
    });

    it('is for owners only', async () => {
      await http().get('/api/v1/me/reminders').set(as(staffToken)).expect(403);
    });
  });

  describe('GET /api/v1/vehicles/{vin}/reminders', () => {
    it('shows the vehicle reminders to its owner and its center staff, and 404 to anyone else', async () => {
      const reminder = await createReminder(prisma, home, { subject: 'RL' });

      const owner = await http().get(`/api/v1/vehicles/${home.vehicle.vin}/reminders`).set(as(ownerToken)).expect(200);
      const staff = await http().get(`/api/v1/vehicles/${home.vehicle.vin}/reminders`).set(as(staffToken)).expect(200);
      await http().get(`/api/v1/vehicles/${home.vehicle.vin}/reminders`).set(as(otherOwnerToken)).expect(404);

      expect(owner.body.items.map((r: { id: string }) => r.id)).toContain(reminder.id);
      expect(staff.body.items.map((r: { id: string }) => r.id)).toContain(reminder.id);
    });
  });

  describe('POST /api/v1/reminders/{id}/...', () => {
    it('acknowledge stops the repeats', async () => {
      const reminder = await createReminder(prisma, home);

      const response = await http().post(`/api/v1/reminders/${reminder.id}/acknowledge`).set(as(ownerToken)).expect(200);

      expect(response.body.reminder).toMatchObject({ id: reminder.id, status: 'ACKNOWLEDGED' });
      const row = await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } });
      expect(row).toMatchObject({ status: 'ACKNOWLEDGED', nextNotifyAt: null });
    });

    it('snooze silences until the given time, and refuses past or far times with 400', async () => {
      const reminder = await createReminder(prisma, home);
      const until = inDays(7);

      const response = await http()
        .post(`/api/v1/reminders/${reminder.id}/snooze`)
        .set(as(ownerToken))
        .send({ until: until.toISOString() })
        .expect(200);

      expect(response.body.reminder).toMatchObject({ status: 'SNOOZED', snoozedUntil: until.toISOString() });
      expect(await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).toMatchObject({
        status: 'SNOOZED',
        snoozedUntil: until,
        nextNotifyAt: until,
      });
      const past = await http()
        .post(`/api/v1/reminders/${reminder.id}/snooze`)
        .set(as(ownerToken))
        .send({ until: inDays(-1).toISOString() })
        .expect(400);
      expect(past.body).toMatchObject({ error: 'InvalidReminderDateError', message: 'until: must be in the future' });
      await http()
        .post(`/api/v1/reminders/${reminder.id}/snooze`)
        .set(as(ownerToken))
        .send({ until: inDays(91).toISOString() })
        .expect(400);
      await http().post(`/api/v1/reminders/${reminder.id}/snooze`).set(as(ownerToken)).send({ until: 'tomorrow' }).expect(400);
    });

    it('book requests an appointment at the vehicle service center and silences the reminder', async () => {
      const reminder = await createReminder(prisma, home);
      const preferredAt = inDays(3);

      const response = await http()
        .post(`/api/v1/reminders/${reminder.id}/book`)
        .set(as(ownerToken))
        .send({ preferredAt: preferredAt.toISOString(), notes: 'mornings please' })
        .expect(200);

      expect(response.body.reminder.status).toBe('BOOKED');
      const appointment = await prisma.appointment.findFirstOrThrow({ where: { reminderId: reminder.id } });
      expect(appointment).toMatchObject({
        id: response.body.appointment.id,
        status: 'REQUESTED',
        vehicleId: home.vehicle.id,
        serviceCenterId: home.center.id,
        ownerId: home.owner.id,
        preferredAt,
        notes: 'mornings please',
      });
      const mine = await http().get('/api/v1/me/appointments').set(as(ownerToken)).expect(200);
      expect(mine.body.map((a: { id: string }) => a.id)).toContain(appointment.id);
    });

    it('done records the service that fixes the finding, closes the reminder and queues a rescore', async () => {
      const tenant = await createTenant(prisma, 'reminders-done');
      const token = await tokenFor(app, tenant.owner.email);
      const reminder = await createReminder(prisma, tenant, { code: 'TIRE_TREAD_WEAR', subject: 'RR' });
      const performedAt = inDays(-1);

      const response = await http()
        .post(`/api/v1/reminders/${reminder.id}/done`)
        .set(as(token))
        .send({ performedAt: performedAt.toISOString(), odometerKm: 43_100, notes: 'new Michelin' })
        .expect(200);

      expect(response.body).toMatchObject({ reminder: { status: 'DONE' }, rescoreRequested: true });
      const record = await prisma.serviceRecord.findFirstOrThrow({ where: { reminderId: reminder.id } });
      expect(record).toMatchObject({
        vehicleId: tenant.vehicle.id,
        serviceCenterId: tenant.center.id,
        kind: 'TIRE_REPLACEMENT',
        positions: ['RR'],
        performedAt,
        odometerKm: 43_100,
        notes: 'new Michelin',
        createdById: tenant.owner.id,
      });
      expect(await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).toMatchObject({
        status: 'DONE',
        closedAt: expect.any(Date),
        closedReason: 'done',
      });
      const jobs = await scoringQueue.getJobs(['waiting', 'delayed', 'prioritized', 'active']);
      expect(jobs.map((job) => job.data)).toContainEqual({ vehicleId: tenant.vehicle.id, reason: 'service-record' });
      const job = jobs.find((j) => j.data.vehicleId === tenant.vehicle.id);
      expect(job?.opts.delay ?? 0).toBe(0);
    });

    it('done on a slow leak records a puncture repair at that wheel', async () => {
      const reminder = await createReminder(prisma, home, { code: 'TIRE_SLOW_LEAK', subject: 'FL', risk: 'URGENT' });

      await http().post(`/api/v1/reminders/${reminder.id}/done`).set(as(staffToken)).send({}).expect(200);

      const record = await prisma.serviceRecord.findFirstOrThrow({ where: { reminderId: reminder.id } });
      expect(record).toMatchObject({ kind: 'PUNCTURE_REPAIR', positions: ['FL'], createdById: home.staff.id, odometerKm: 42_000 });
    });

    it('answers 409 for an action the status does not allow', async () => {
      const reminder = await createReminder(prisma, home, { status: 'DONE' });

      const response = await http()
        .post(`/api/v1/reminders/${reminder.id}/snooze`)
        .set(as(ownerToken))
        .send({ until: inDays(2).toISOString() })
        .expect(409);

      expect(response.body).toMatchObject({
        error: 'InvalidReminderTransitionError',
        message: 'Cannot snooze a reminder that is DONE: it is closed',
      });
      await http().post(`/api/v1/reminders/${reminder.id}/done`).set(as(ownerToken)).send({}).expect(409);
      expect(await prisma.serviceRecord.count({ where: { reminderId: reminder.id } })).toBe(0);
    });

    it("answers 404 for another owner's reminder and leaves it alone", async () => {
      const reminder = await createReminder(prisma, home);

      await http().post(`/api/v1/reminders/${reminder.id}/acknowledge`).set(as(otherOwnerToken)).expect(404);
      await http().post(`/api/v1/reminders/${reminder.id}/done`).set(as(otherOwnerToken)).send({}).expect(404);

      expect((await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).status).toBe('OPEN');
    });

    it('lets staff act for the owner except snoozing', async () => {
      const reminder = await createReminder(prisma, home);

      await http()
        .post(`/api/v1/reminders/${reminder.id}/snooze`)
        .set(as(staffToken))
        .send({ until: inDays(2).toISOString() })
        .expect(403);
      await http().post(`/api/v1/reminders/${reminder.id}/acknowledge`).set(as(staffToken)).expect(200);
    });
  });

  describe('appointments (staff)', () => {
    async function bookedAppointment(tenant: Tenant, token: string) {
      const reminder = await createReminder(prisma, tenant, { component: 'SERVICE_SCHEDULE', code: 'SERVICE_DUE', subject: 'oil' });
      const response = await http()
        .post(`/api/v1/reminders/${reminder.id}/book`)
        .set(as(token))
        .send({ preferredAt: inDays(2).toISOString() })
        .expect(200);
      return { reminder, appointmentId: response.body.appointment.id as string };
    }

    it('staff confirm with a scheduled time; other centers get 404 and owners 403', async () => {
      const { appointmentId } = await bookedAppointment(home, ownerToken);
      const scheduledAt = inDays(4);
      const otherStaff = await tokenFor(app, other.staff.email);

      const listed = await http().get('/api/v1/appointments?status=REQUESTED').set(as(staffToken)).expect(200);
      await http()
        .post(`/api/v1/appointments/${appointmentId}/confirm`)
        .set(as(otherStaff))
        .send({ scheduledAt: scheduledAt.toISOString() })
        .expect(404);
      await http()
        .post(`/api/v1/appointments/${appointmentId}/confirm`)
        .set(as(ownerToken))
        .send({ scheduledAt: scheduledAt.toISOString() })
        .expect(403);
      const response = await http()
        .post(`/api/v1/appointments/${appointmentId}/confirm`)
        .set(as(staffToken))
        .send({ scheduledAt: scheduledAt.toISOString() })
        .expect(200);

      expect(listed.body.map((a: { id: string }) => a.id)).toContain(appointmentId);
      expect(response.body.appointment).toMatchObject({ status: 'CONFIRMED', scheduledAt: scheduledAt.toISOString() });
      expect(await prisma.appointment.findUniqueOrThrow({ where: { id: appointmentId } })).toMatchObject({
        status: 'CONFIRMED',
        scheduledAt,
        confirmedAt: expect.any(Date),
      });
    });

    it('complete closes the booked reminder with its service record; a second complete is 409', async () => {
      const { reminder, appointmentId } = await bookedAppointment(home, ownerToken);

      const response = await http()
        .post(`/api/v1/appointments/${appointmentId}/complete`)
        .set(as(staffToken))
        .send({ odometerKm: 42_500 })
        .expect(200);

      expect(response.body).toMatchObject({ appointment: { status: 'COMPLETED' }, serviceRecord: { kind: 'OIL_CHANGE' }, rescoreRequested: true });
      expect(await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).toMatchObject({
        status: 'DONE',
        closedReason: 'appointment completed',
      });
      expect(await prisma.serviceRecord.findFirstOrThrow({ where: { reminderId: reminder.id } })).toMatchObject({
        kind: 'OIL_CHANGE',
        odometerKm: 42_500,
      });
      await http().post(`/api/v1/appointments/${appointmentId}/complete`).set(as(staffToken)).send({}).expect(409);
    });

    it('decline puts the reminder back to OPEN, due now', async () => {
      const { reminder, appointmentId } = await bookedAppointment(home, ownerToken);

      await http().post(`/api/v1/appointments/${appointmentId}/decline`).set(as(staffToken)).send({ reason: 'fully booked' }).expect(200);

      expect(await prisma.appointment.findUniqueOrThrow({ where: { id: appointmentId } })).toMatchObject({
        status: 'DECLINED',
        notes: 'Declined: fully booked',
      });
      const row = await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } });
      expect(row.status).toBe('OPEN');
      expect(row.nextNotifyAt?.getTime()).toBeLessThanOrEqual(Date.now());
    });
  });
});
