import type { PrismaClient } from '#app/database';
import { centerAudience, type InAppEvent } from '#app/notifications';
import type { VehicleScoringService } from '../../apps/worker/src/scoring/vehicle-scoring.service.js';
import type { LocalPushService } from '../notifications/support/push-service.js';
import { startInAppEventListener } from '../support/in-app-event-listener.js';
import { testEnv } from '../support/test-env.js';
import { inspectTires, ownerWithAllChannels, sleep, waitUntil } from './support/reminder-scenario.js';
import { peersOf, type ReminderWorker, startReminderWorker, SWEEP_MS } from './support/reminder-worker.harness.js';

/** From the score's commit to the owner's phone, inbox and webhook. */
const LATENCY_BUDGET_MS = 5_000;

describe('owner reminders in the worker', () => {
  let harness: ReminderWorker;
  let prisma: PrismaClient;
  let scoring: VehicleScoringService;
  let push: LocalPushService;
  let vapidPublicKey: string;
  let webhookUrl: string;
  let peers: ReturnType<typeof peersOf>;

  beforeAll(async () => {
    harness = await startReminderWorker('reminders');
    ({ prisma, scoring, push, vapidPublicKey } = harness);
    webhookUrl = harness.webhook.url;
    peers = peersOf(harness);
  });

  afterAll(async () => {
    await harness?.close();
  });

  const pushesTo = (subscriptionId: string) => peers.pushesTo(subscriptionId);
  const mailsTo = (email: string) => peers.mailsTo(email);
  const hooksFor = (vehicleReminderIds: string[]) => peers.hooksFor(vehicleReminderIds);

  it('tells the owner once on each channel, stays quiet while nothing changes, honours a snooze and closes on the repair', async () => {
    const owner = await ownerWithAllChannels(prisma, { push, vapidPublicKey, webhookUrl });
    const now = new Date();
    await inspectTires(prisma, owner.vehicleId, now, 2.8);

    await scoring.score(owner.vehicleId, now);
    const scoredAt = Date.now();
    const reminders = await prisma.reminder.findMany({ where: { vehicleId: owner.vehicleId } });
    expect(reminders).toHaveLength(1);
    const reminder = reminders[0]!;
    expect(reminder).toMatchObject({
      component: 'TIRES',
      dedupKey: `${owner.vehicleId}:TIRES:TIRE_TREAD_WEAR:FL`,
      status: 'OPEN',
      risk: 'SOON',
      version: 1,
      notifyCount: 1,
    });
    expect(reminder.nextNotifyAt!.getTime()).toBe(reminder.lastNotifiedAt!.getTime() + 168 * 3_600_000);

    const counts = () => ({
      push: pushesTo(owner.subscriptionId).length,
      email: mailsTo(owner.email).length,
      webhook: hooksFor([reminder.id]).length,
    });
    await waitUntil(() => counts().push === 1 && counts().email === 1 && counts().webhook === 1, LATENCY_BUDGET_MS, 'push, e-mail and webhook');
    console.log(`reminder delivered on push, e-mail and webhook ${Date.now() - scoredAt} ms after the score`);

    const pushed = JSON.parse(pushesTo(owner.subscriptionId)[0]!.plaintext) as {
      title: string;
      body: string;
      tag: string;
      data: Record<string, unknown>;
    };
    expect(pushed.title).toMatch(/^Soon: /);
    expect(pushed.data).toMatchObject({ reminderId: reminder.id, code: 'TIRE_TREAD_WEAR', subject: 'FL', risk: 'SOON' });
    // Every message leads to the reminder in the owner web app, where it can be acted on.
    const link = `http://127.0.0.1:3000/app/#reminder/${reminder.id}`;
    expect(pushed.data.link).toBe(link);
    expect(mailsTo(owner.email)[0]!.raw).toContain(link);
    expect(harness.webhook.requests.filter((r) => r.deliveryId !== undefined).every((r) => r.verified)).toBe(true);
    expect(hooksFor([reminder.id])[0]!.text).toContain('2.8 mm');
    expect(mailsTo(owner.email)[0]!.raw).toContain('Front left');
    // The peers have the messages; the worker records SENT right after each answer: wait for those commits.
    await waitUntil(
      async () => (await prisma.notificationDelivery.count({ where: { reminderId: reminder.id, status: 'SENT' } })) === 4,
      LATENCY_BUDGET_MS,
      'the four deliveries recorded as sent',
    );
    const deliveries = await prisma.notificationDelivery.findMany({ where: { reminderId: reminder.id }, include: { attemptLog: true } });
    expect(deliveries.map((d) => [d.channel, d.notificationKey, d.status, d.attempts]).sort()).toEqual([
      ['EMAIL', 'v1n1', 'SENT', 1],
      ['IN_APP', 'v1n1', 'SENT', 1],
      ['WEBHOOK', 'v1n1', 'SENT', 1],
      ['WEB_PUSH', 'v1n1', 'SENT', 1],
    ]);
    expect(deliveries.every((d) => d.attemptLog.length === 1 && d.attemptLog[0]!.ok)).toBe(true);
    expect(pushed.tag).toBe(`delivery:${deliveries.find((d) => d.channel === 'WEB_PUSH')!.id}`);

    // Nothing new: more scores and several sweeps send nothing more.
    await scoring.score(owner.vehicleId, new Date());
    await scoring.score(owner.vehicleId, new Date());
    await sleep(5 * SWEEP_MS);
    expect(counts()).toEqual({ push: 1, email: 1, webhook: 1 });
    expect(await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).toMatchObject({ version: 1, notifyCount: 1, status: 'OPEN' });

    // Snoozed (as the API does it): silent until the date, then told again.
    await prisma.reminder.update({
      where: { id: reminder.id },
      data: { status: 'SNOOZED', snoozedUntil: new Date(Date.now() + 86_400_000), nextNotifyAt: new Date(Date.now() - 1000) },
    });
    await scoring.score(owner.vehicleId, new Date());
    await sleep(5 * SWEEP_MS);
    expect(counts()).toEqual({ push: 1, email: 1, webhook: 1 });
    await prisma.reminder.update({ where: { id: reminder.id }, data: { snoozedUntil: new Date(Date.now() - 1000) } });
    await waitUntil(
      () => counts().push === 2 && counts().email === 2 && counts().webhook === 2,
      LATENCY_BUDGET_MS,
      'the notification after the snooze',
    );
    expect(await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).toMatchObject({
      status: 'OPEN',
      snoozedUntil: null,
      notifyCount: 2,
    });
    await sleep(5 * SWEEP_MS);
    expect(counts()).toEqual({ push: 2, email: 2, webhook: 2 });

    // Done: the tyre is replaced (a service record) and the rescore finds nothing left to remind about.
    const vehicle = await prisma.vehicle.findUniqueOrThrow({ where: { id: owner.vehicleId } });
    await prisma.serviceRecord.create({
      data: {
        vehicleId: owner.vehicleId,
        serviceCenterId: vehicle.serviceCenterId,
        kind: 'TIRE_REPLACEMENT',
        performedAt: new Date(),
        positions: ['FL'],
        reminderId: reminder.id,
      },
    });
    await scoring.score(owner.vehicleId, new Date());
    const closed = await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } });
    expect(closed.status).toBe('RESOLVED');
    expect(closed.closedAt).not.toBeNull();
    console.log(`closed: ${closed.closedReason}`);
    const tires = await prisma.prediction.findUniqueOrThrow({ where: { vehicleId_component: { vehicleId: owner.vehicleId, component: 'TIRES' } } });
    const findings = tires.findings as { code: string; subject: string; risk: string }[];
    expect(findings.filter((f) => f.subject === 'FL' && ['SOON', 'URGENT', 'CRITICAL'].includes(f.risk))).toEqual([]);
    await sleep(5 * SWEEP_MS);
    expect(counts()).toEqual({ push: 2, email: 2, webhook: 2 });
    expect(await prisma.reminder.count({ where: { vehicleId: owner.vehicleId, closedAt: null } })).toBe(0);
  });

  /** A fixed-offset zone where it is now between 02:00 and 03:00: night, inside 22:00-07:00 quiet hours. */
  function zoneAtTwoAm(now: Date): { timeZone: string; morning: Date } {
    let offset = 2 - now.getUTCHours();
    if (offset < -12) offset += 24;
    if (offset > 14) offset -= 24;
    // Etc/GMT names count the other way round: Etc/GMT-2 is UTC+2.
    const timeZone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    const local = new Date(now.getTime() + offset * 3_600_000);
    const morning = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), 7, 0) - offset * 3_600_000);
    return { timeZone, morning };
  }

  it('holds a SOON reminder until the morning in the owner time zone, and lets a CRITICAL one through at once', async () => {
    const now = new Date();
    const { timeZone, morning } = zoneAtTwoAm(now);
    const quietHours = { start: '22:00', end: '07:00', timeZone };
    const soonOwner = await ownerWithAllChannels(prisma, { push, vapidPublicKey, webhookUrl, quietHours });
    const criticalOwner = await ownerWithAllChannels(prisma, { push, vapidPublicKey, webhookUrl, quietHours });
    await inspectTires(prisma, soonOwner.vehicleId, now, 2.8);
    await inspectTires(prisma, criticalOwner.vehicleId, now, 1.2);

    await scoring.score(soonOwner.vehicleId, now);
    await scoring.score(criticalOwner.vehicleId, now);

    const critical = await prisma.reminder.findFirstOrThrow({ where: { vehicleId: criticalOwner.vehicleId } });
    expect(critical.risk).toBe('CRITICAL');
    await waitUntil(
      () => pushesTo(criticalOwner.subscriptionId).length === 1 && mailsTo(criticalOwner.email).length === 1 && hooksFor([critical.id]).length === 1,
      LATENCY_BUDGET_MS,
      'the CRITICAL reminder on every channel during quiet hours',
    );
    expect(JSON.parse(pushesTo(criticalOwner.subscriptionId)[0]!.plaintext).title).toMatch(/^Critical: /);
    expect(pushesTo(criticalOwner.subscriptionId)[0]!.urgency).toBe('high');

    const soon = await prisma.reminder.findFirstOrThrow({ where: { vehicleId: soonOwner.vehicleId } });
    expect(soon.risk).toBe('SOON');
    await sleep(5 * SWEEP_MS);
    const held = await prisma.notificationDelivery.findMany({ where: { reminderId: soon.id }, orderBy: { channel: 'asc' } });
    expect(held.map((d) => [d.channel, d.status, d.holdUntil?.toISOString()])).toEqual([
      ['WEB_PUSH', 'HELD', morning.toISOString()],
      ['WEBHOOK', 'HELD', morning.toISOString()],
      ['EMAIL', 'HELD', morning.toISOString()],
      // The in-app feed is silent (no sound, no banner): it is not held.
      ['IN_APP', 'SENT', undefined],
    ]);
    expect(pushesTo(soonOwner.subscriptionId)).toHaveLength(0);
    expect(mailsTo(soonOwner.email)).toHaveLength(0);
    expect(hooksFor([soon.id])).toHaveLength(0);
    console.log(`SOON reminder held until ${morning.toISOString()} (07:00 in ${timeZone}); CRITICAL sent at once`);
  });

  it('removes a push subscription the push service answers 410 for, and sends nothing more to it', async () => {
    const owner = await ownerWithAllChannels(prisma, { push, vapidPublicKey, webhookUrl });
    const laptop = push.subscribe(vapidPublicKey);
    await prisma.pushSubscription.create({
      data: { id: laptop.id, userId: owner.ownerId, endpoint: laptop.endpoint, p256dh: laptop.p256dh, auth: laptop.auth },
    });
    push.expire(owner.subscriptionId);
    const rejectedBefore = push.rejected.filter((r) => r.status === 410).length;
    const now = new Date();
    await inspectTires(prisma, owner.vehicleId, now, 2.8);

    await scoring.score(owner.vehicleId, now);
    const reminder = await prisma.reminder.findFirstOrThrow({ where: { vehicleId: owner.vehicleId } });
    await waitUntil(() => pushesTo(laptop.id).length === 1, LATENCY_BUDGET_MS, 'the push to the live subscription');
    await waitUntil(
      async () => (await prisma.pushSubscription.count({ where: { id: owner.subscriptionId } })) === 0,
      LATENCY_BUDGET_MS,
      'the expired subscription to be removed',
    );
    expect(push.rejected.filter((r) => r.status === 410).length - rejectedBefore).toBe(1);
    await waitUntil(
      async () => (await prisma.notificationDelivery.count({ where: { reminderId: reminder.id, channel: 'WEB_PUSH', status: 'SENT' } })) === 1,
      LATENCY_BUDGET_MS,
      'the push delivery recorded as sent',
    );
    const delivery = await prisma.notificationDelivery.findFirstOrThrow({
      where: { reminderId: reminder.id, channel: 'WEB_PUSH' },
      include: { attemptLog: true },
    });
    expect(delivery.status).toBe('SENT');
    expect(delivery.attemptLog.map((a) => [a.ok, a.statusCode]).sort()).toEqual([
      [false, 410],
      [true, 201],
    ]);

    // The next notification (a repeat falling due) goes to the laptop only.
    await prisma.reminder.update({ where: { id: reminder.id }, data: { nextNotifyAt: new Date(Date.now() - 1000) } });
    await waitUntil(() => pushesTo(laptop.id).length === 2, LATENCY_BUDGET_MS, 'the repeat on the live subscription');
    await sleep(3 * SWEEP_MS);
    expect(push.rejected.filter((r) => r.status === 410).length - rejectedBefore).toBe(1);
    expect(pushesTo(owner.subscriptionId)).toHaveLength(0);
  });
  it("tells the owner's open sessions and the car's service-center dashboard when a reminder is created", async () => {
    const owner = await ownerWithAllChannels(prisma, { push, vapidPublicKey, webhookUrl });
    const vehicle = await prisma.vehicle.findUniqueOrThrow({ where: { id: owner.vehicleId } });
    // An API replica's end of the Nest Redis transport the worker emits on.
    const listener = await startInAppEventListener(testEnv.redisUrl, harness.queuePrefix);
    const heard: { audience: 'owner' | 'center'; event: InAppEvent }[] = [];
    listener.hub.subscribe(owner.ownerId, (event) => heard.push({ audience: 'owner', event }));
    listener.hub.subscribe(centerAudience(vehicle.serviceCenterId), (event) => heard.push({ audience: 'center', event }));
    try {
      await inspectTires(prisma, owner.vehicleId, new Date(), 2.8);
      await scoring.score(owner.vehicleId, new Date());
      const created = () => heard.filter((h) => h.event.data.event === 'created');
      await waitUntil(() => created().length === 2, LATENCY_BUDGET_MS, 'the created event for the owner and for the center');

      const reminder = await prisma.reminder.findFirstOrThrow({ where: { vehicleId: owner.vehicleId } });
      expect(created().map((h) => [h.audience, h.event.type, h.event.data.reminderId, h.event.data.status])).toEqual([
        ['owner', 'reminder', reminder.id, 'OPEN'],
        ['center', 'reminder', reminder.id, 'OPEN'],
      ]);
      // Staff see which car it is about; the owner's event is about their own car and needs no VIN.
      expect(created()[1]!.event.data.vin).toBe(vehicle.vin);
    } finally {
      await listener.close();
    }
  });
});
