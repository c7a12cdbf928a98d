import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { loadApiConfig } from '#app/config';
import type { PrismaClient } from '#app/database';
import { createTenant, startApi, tokenFor } from '../api/api-test.fixtures.js';
import { createReminder, type Tenant, uniquePrefix } from './reminder-test.fixtures.js';

const HOUR_MS = 3_600_000;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

describe('POST /api/v1/appointments/{id}/cancel', () => {
  const queuePrefix = uniquePrefix('cancel');
  let app: INestApplication;
  let prisma: PrismaClient;
  let home: Tenant;
  let other: Tenant;
  let ownerToken: string;
  let staffToken: string;
  let otherOwnerToken: string;
  let otherStaffToken: string;

  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    ({ app, prisma } = await startApi((config) => ({ ...config, queuePrefix })));
    home = await createTenant(prisma, 'cancel-home');
    other = await createTenant(prisma, 'cancel-other');
    [ownerToken, staffToken, otherOwnerToken, otherStaffToken] = await Promise.all([
      tokenFor(app, home.owner.email),
      tokenFor(app, home.staff.email),
      tokenFor(app, other.owner.email),
      tokenFor(app, other.staff.email),
    ]);
  });

  afterAll(async () => {
    await app.close();
  });

  /** A reminder the owner booked through the API: BOOKED, with a REQUESTED appointment. */
  async function bookedAppointment(subject: string) {
    const reminder = await createReminder(prisma, home, { subject });
    const response = await http()
      .post(`/api/v1/reminders/${reminder.id}/book`)
      .set(as(ownerToken))
      .send({ preferredAt: inDays(2).toISOString() })
      .expect(200);
    return { reminder, appointmentId: response.body.appointment.id as string };
  }

  it('the owner cancels a requested appointment; the booked reminder is OPEN again, next due one repeat interval from now', async () => {
    const { reminder, appointmentId } = await bookedAppointment('FL');
    const before = Date.now();

    const response = await http()
      .post(`/api/v1/appointments/${appointmentId}/cancel`)
      .set(as(ownerToken))
      .send({ reason: 'sold the car' })
      .expect(200);

    expect(response.body.appointment).toMatchObject({ id: appointmentId, status: 'CANCELLED', notes: 'Cancelled by the owner: sold the car' });
    const row = await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } });
    expect(row).toMatchObject({ status: 'OPEN', snoozedUntil: null, version: reminder.version });
    // SOON repeats on REMINDER_REPEAT_SOON_HOURS: not now (the owner just acted), not never.
    const repeatMs = loadApiConfig().notifications.repeatHours.SOON * HOUR_MS;
    expect(row.nextNotifyAt?.getTime()).toBeGreaterThanOrEqual(before + repeatMs);
    expect(row.nextNotifyAt?.getTime()).toBeLessThanOrEqual(Date.now() + repeatMs);
  });

  it('the owner cancels a confirmed appointment without a body', async () => {
    const { reminder, appointmentId } = await bookedAppointment('FR');
    await http()
      .post(`/api/v1/appointments/${appointmentId}/confirm`)
      .set(as(staffToken))
      .send({ scheduledAt: inDays(3).toISOString() })
      .expect(200);

    const response = await http().post(`/api/v1/appointments/${appointmentId}/cancel`).set(as(ownerToken)).expect(200);

    expect(response.body.appointment).toMatchObject({ status: 'CANCELLED', notes: 'Cancelled by the owner', scheduledAt: expect.any(String) });
    expect((await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).status).toBe('OPEN');
  });

  it("answers 404 for another owner's appointment, or another center's staff, and leaves it alone", async () => {
    const { reminder, appointmentId } = await bookedAppointment('RL');

    const response = await http().post(`/api/v1/appointments/${appointmentId}/cancel`).set(as(otherOwnerToken)).send({}).expect(404);
    await http().post(`/api/v1/appointments/${appointmentId}/cancel`).set(as(otherStaffToken)).send({}).expect(404);
    await http().post('/api/v1/appointments/00000000-0000-4000-8000-000000000000/cancel').set(as(ownerToken)).send({}).expect(404);

    expect(response.body.error).toBe('AppointmentNotFoundError');
    expect((await prisma.appointment.findUniqueOrThrow({ where: { id: appointmentId } })).status).toBe('REQUESTED');
    expect((await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).status).toBe('BOOKED');
  });

  it('answers 409 for a completed appointment and 400 for a reason over 500 characters', async () => {
    const { reminder, appointmentId } = await bookedAppointment('RR');
    await http().post(`/api/v1/appointments/${appointmentId}/complete`).set(as(staffToken)).send({}).expect(200);

    const response = await http().post(`/api/v1/appointments/${appointmentId}/cancel`).set(as(ownerToken)).send({}).expect(409);
    await http()
      .post(`/api/v1/appointments/${appointmentId}/cancel`)
      .set(as(ownerToken))
      .send({ reason: 'x'.repeat(501) })
      .expect(400);

    expect(response.body).toMatchObject({ error: 'InvalidAppointmentTransitionError', message: 'Cannot cancel an appointment that is COMPLETED' });
    expect((await prisma.appointment.findUniqueOrThrow({ where: { id: appointmentId } })).status).toBe('COMPLETED');
    expect((await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).status).toBe('DONE');
  });

  it("staff of the appointment's center cancel it for the owner; a second cancel is 409", async () => {
    const { reminder, appointmentId } = await bookedAppointment('FL');

    const response = await http()
      .post(`/api/v1/appointments/${appointmentId}/cancel`)
      .set(as(staffToken))
      .send({ reason: 'customer phoned' })
      .expect(200);
    const again = await http().post(`/api/v1/appointments/${appointmentId}/cancel`).set(as(ownerToken)).send({}).expect(409);

    expect(response.body.appointment).toMatchObject({ status: 'CANCELLED', notes: 'Cancelled by the service center: customer phoned' });
    expect(again.body.message).toBe('Cannot cancel an appointment that is CANCELLED');
    expect((await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).status).toBe('OPEN');
  });

  it('leaves a reminder alone that is no longer BOOKED (marked done while the appointment was open)', async () => {
    const { reminder, appointmentId } = await bookedAppointment('FR');
    await http().post(`/api/v1/reminders/${reminder.id}/done`).set(as(ownerToken)).send({}).expect(200);

    await http().post(`/api/v1/appointments/${appointmentId}/cancel`).set(as(ownerToken)).send({}).expect(200);

    expect(await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).toMatchObject({ status: 'DONE', nextNotifyAt: null });
  });
});

describe('Owner actions while Redis is down', () => {
  let app: INestApplication;
  let prisma: PrismaClient;

  beforeAll(async () => {
    // Nothing listens here: the live events cannot be published for the whole test.
    ({ app, prisma } = await startApi((config) => ({ ...config, redisUrl: 'redis://127.0.0.1:1' })));
  });

  afterAll(async () => {
    await app.close();
  });

  it('still acknowledge and cancel, promptly: the live event is only logged as lost', async () => {
    const tenant = await createTenant(prisma, 'cancel-no-redis');
    const token = await tokenFor(app, tenant.owner.email);
    const reminder = await createReminder(prisma, tenant, { subject: 'FL' });
    const booked = await createReminder(prisma, tenant, { subject: 'FR' });
    const startedAt = Date.now();

    await request(app.getHttpServer()).post(`/api/v1/reminders/${reminder.id}/acknowledge`).set('Authorization', `Bearer ${token}`).expect(200);
    const book = await request(app.getHttpServer())
      .post(`/api/v1/reminders/${booked.id}/book`)
      .set('Authorization', `Bearer ${token}`)
      .send({ preferredAt: inDays(2).toISOString() })
      .expect(200);
    await request(app.getHttpServer())
      .post(`/api/v1/appointments/${book.body.appointment.id}/cancel`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);

    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect((await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).status).toBe('ACKNOWLEDGED');
    expect((await prisma.reminder.findUniqueOrThrow({ where: { id: booked.id } })).status).toBe('OPEN');
  });
});
