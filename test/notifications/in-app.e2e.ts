import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { InAppChannel, type InAppEvent, RedisInAppEventBus, renderReminderMessage } from '#app/notifications';
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

describe(RedisInAppEventBus.name, () => {
  const prefix = `${testEnv.queuePrefix}-in-app-${randomUUID()}`;
  // Two processes: the worker publishes, the API (SSE endpoint) listens. Each has its own connection.
  const workerRedis = new Redis(testEnv.redisUrl);
  const apiRedis = new Redis(testEnv.redisUrl);
  const workerBus = new RedisInAppEventBus(workerRedis, prefix);
  const apiBus = new RedisInAppEventBus(apiRedis, prefix);
  const now = new Date('2026-11-26T08:00:00.000Z');
  const sut = new InAppChannel(workerBus, () => now);
  const message = renderReminderMessage(reminderContent(), 'zh');

  afterAll(async () => {
    await Promise.all([workerBus.close(), apiBus.close()]);
    await Promise.all([workerRedis.quit(), apiRedis.quit()]);
  });

  it('delivers what the worker publishes to the listening API process, for that owner only', async () => {
    const owner = randomUUID();
    const neighbour = randomUUID();
    const ownerInbox = new EventInbox();
    const neighbourInbox = new EventInbox();
    await apiBus.subscribe(owner, ownerInbox.listener);
    await apiBus.subscribe(neighbour, neighbourInbox.listener);

    const result = await sut.send({ userId: owner }, message);
    await ownerInbox.until(1);

    expect(result).toEqual({ ok: true });
    expect(ownerInbox.events).toEqual([{ type: 'reminder', title: message.title, text: message.text, data: message.data, at: now.toISOString() }]);
    expect(neighbourInbox.events).toEqual([]);
  });

  it('gives every open session of an owner the event and stops after each unsubscribes', async () => {
    const owner = randomUUID();
    const phone = new EventInbox();
    const laptop = new EventInbox();
    const unsubscribePhone = await apiBus.subscribe(owner, phone.listener);
    const unsubscribeLaptop = await apiBus.subscribe(owner, laptop.listener);

    await sut.send({ userId: owner }, message);
    await Promise.all([phone.until(1), laptop.until(1)]);
    await unsubscribePhone();
    expect(await workerBus.publish(owner, { type: 'reminder', title: 't', text: 'x', data: {}, at: now.toISOString() })).toBe(1);
    await laptop.until(2);
    await unsubscribeLaptop();

    // Nobody listens any more: Redis reports no receiver, and the channel still counts it as delivered.
    expect(await workerBus.publish(owner, { type: 'reminder', title: 't', text: 'y', data: {}, at: now.toISOString() })).toBe(0);
    expect(await sut.send({ userId: owner }, message)).toEqual({ ok: true });
    expect(phone.events).toHaveLength(1);
    expect(laptop.events).toHaveLength(2);
  });

  it('ignores foreign messages on the channel instead of passing them on', async () => {
    const owner = randomUUID();
    const inbox = new EventInbox();
    await apiBus.subscribe(owner, inbox.listener);

    await workerRedis.publish(`${prefix}:in-app:${owner}`, 'not json');
    await workerRedis.publish(`${prefix}:in-app:${owner}`, JSON.stringify({ type: 'other' }));
    await sut.send({ userId: owner }, message);
    await inbox.until(1);

    expect(inbox.events.map((e) => e.title)).toEqual([message.title]);
  });

  it('reports a lost Redis connection as a retryable failure', async () => {
    const brokenRedis = new Redis(testEnv.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    const broken = new InAppChannel(new RedisInAppEventBus(brokenRedis, prefix));

    const result = await broken.send({ userId: randomUUID() }, message);

    expect(result).toMatchObject({ ok: false, retryable: true });
    brokenRedis.disconnect();
  });
});
