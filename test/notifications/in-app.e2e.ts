import { randomUUID } from 'node:crypto';
import { ClientProxyFactory } from '@nestjs/microservices';
import { Redis } from 'ioredis';
import { IN_APP_EVENT_PATTERN, InAppChannel, type InAppEvent, TransportInAppEventBus, renderReminderMessage } from '#app/notifications';
import { redisTransportOptions } from '#app/queue';
import { startInAppEventListener, type InAppEventListener } from '../support/in-app-event-listener.js';
import { freePort } from '../support/ports.js';
import { testEnv } from '../support/test-env.js';
import { reminderContent } from './support/reminder.factory.js';

/** Collects the events a listener gets and lets a test wait for the next n of them. */
class EventInbox {
  readonly events: InAppEvent[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  readonly listener = (event: InAppEvent): void => {
    this.events.push(event);
    this.waiters = this.waiters.filter((w) => (this.events.length >= w.count ? (w.resolve(), false) : true));
  };

  until(count: number, timeoutMs = 2000): Promise<void> {
    if (this.events.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.events.length} of ${count} events arrived`)), timeoutMs);
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(TransportInAppEventBus.name, () => {
  const scope = `${testEnv.queuePrefix}-in-app-${randomUUID()}`;
  // The worker emits on the Nest Redis transport; two API replicas listen (each a Nest Redis server).
  const workerBus = new TransportInAppEventBus(ClientProxyFactory.create(redisTransportOptions(testEnv.redisUrl)), scope);
  let replicaA: InAppEventListener;
  let replicaB: InAppEventListener;
  const now = new Date('2026-11-26T08:00:00.000Z');
  const sut = new InAppChannel(workerBus, () => now);
  const message = renderReminderMessage(reminderContent(), 'zh');

  beforeAll(async () => {
    [replicaA, replicaB] = await Promise.all([startInAppEventListener(testEnv.redisUrl, scope), startInAppEventListener(testEnv.redisUrl, scope)]);
  });

  afterAll(async () => {
    await Promise.all([workerBus.onApplicationShutdown(), replicaA.close(), replicaB.close()]);
  });

  it('delivers what the worker publishes to every listening API replica, for that owner only', async () => {
    const owner = randomUUID();
    const neighbour = randomUUID();
    const onA = new EventInbox();
    const onB = new EventInbox();
    const neighbourInbox = new EventInbox();
    replicaA.hub.subscribe(owner, onA.listener);
    replicaB.hub.subscribe(owner, onB.listener);
    replicaA.hub.subscribe(neighbour, neighbourInbox.listener);

    const result = await sut.send({ userId: owner }, message);
    await Promise.all([onA.until(1), onB.until(1)]);

    const expected = [{ type: 'reminder', title: message.title, text: message.text, data: message.data, at: now.toISOString() }];
    expect(result).toEqual({ ok: true });
    expect(onA.events).toEqual(expected);
    expect(onB.events).toEqual(expected);
    expect(neighbourInbox.events).toEqual([]);
  });

  it('gives every open session of an owner the event and stops after each unsubscribes', async () => {
    const owner = randomUUID();
    const phone = new EventInbox();
    const laptop = new EventInbox();
    const unsubscribePhone = replicaA.hub.subscribe(owner, phone.listener);
    const unsubscribeLaptop = replicaB.hub.subscribe(owner, laptop.listener);

    await sut.send({ userId: owner }, message);
    await Promise.all([phone.until(1), laptop.until(1)]);
    unsubscribePhone();
    await workerBus.publish(owner, { type: 'reminder', title: 't', text: 'x', data: {}, at: now.toISOString() });
    await laptop.until(2);
    unsubscribeLaptop();

    // Nobody listens any more: the channel still counts it as delivered.
    expect(await sut.send({ userId: owner }, message)).toEqual({ ok: true });
    await sleep(300);
    expect(phone.events).toHaveLength(1);
    expect(laptop.events).toHaveLength(2);
  });

  it("ignores foreign messages on the channel and another platform's events (another QUEUE_PREFIX on the same Redis)", async () => {
    const owner = randomUUID();
    const inbox = new EventInbox();
    replicaA.hub.subscribe(owner, inbox.listener);
    const raw = new Redis(testEnv.redisUrl);
    const otherPlatform = new TransportInAppEventBus(ClientProxyFactory.create(redisTransportOptions(testEnv.redisUrl)), `${scope}-other`);
    try {
      await raw.publish(IN_APP_EVENT_PATTERN, 'not json');
      await raw.publish(IN_APP_EVENT_PATTERN, JSON.stringify({ pattern: IN_APP_EVENT_PATTERN, data: { type: 'other' } }));
      await otherPlatform.publish(owner, { type: 'reminder', title: 'not ours', text: '', data: {}, at: now.toISOString() });
      await sut.send({ userId: owner }, message);
      await inbox.until(1);
      await sleep(300);

      expect(inbox.events.map((e) => e.title)).toEqual([message.title]);
    } finally {
      raw.disconnect();
      await otherPlatform.onApplicationShutdown();
    }
  });

  it('reports an unreachable Redis as a retryable failure', async () => {
    const port = await freePort();
    const broken = new TransportInAppEventBus(
      ClientProxyFactory.create({ ...redisTransportOptions(`redis://127.0.0.1:${port}`), options: { host: '127.0.0.1', port, retryAttempts: 0 } }),
      scope,
    );

    const result = await new InAppChannel(broken).send({ userId: randomUUID() }, message);

    expect(result).toMatchObject({ ok: false, retryable: true });
    await broken.onApplicationShutdown();
  });
});
