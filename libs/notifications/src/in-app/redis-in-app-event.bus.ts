import type { Redis } from 'ioredis';
import { z } from 'zod';
import { IN_APP_EVENT_TYPES, type InAppEvent, type InAppEventBus, type InAppListener, type Unsubscribe } from './in-app-event.bus.js';

const eventSchema = z.object({
  type: z.enum(IN_APP_EVENT_TYPES),
  title: z.string(),
  text: z.string(),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  at: z.string(),
});

/**
 * Redis pub/sub: at-most-once and only to processes connected now, which is what a live feed needs
 * (a listener that connects later reads the stored reminders). A connection in subscriber mode can
 * run no other command, so subscriptions get their own duplicate of the given connection, and all
 * listeners of one user in this process share a single Redis subscription.
 */
export class RedisInAppEventBus implements InAppEventBus {
  private subscriber: Redis | undefined;
  private readonly channels = new Map<string, { listeners: Set<InAppListener>; ready: Promise<unknown> }>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async publish(userId: string, event: InAppEvent): Promise<number> {
    return this.redis.publish(this.channelOf(userId), JSON.stringify(event));
  }

  async subscribe(userId: string, listener: InAppListener): Promise<Unsubscribe> {
    const channel = this.channelOf(userId);
    const subscriber = this.connection();
    let entry = this.channels.get(channel);
    if (entry === undefined) {
      entry = { listeners: new Set(), ready: subscriber.subscribe(channel) };
      this.channels.set(channel, entry);
    }
    entry.listeners.add(listener);
    // A second listener for the same user waits for the same SUBSCRIBE as the first.
    await entry.ready;
    return async () => {
      const current = this.channels.get(channel);
      if (current === undefined || !current.listeners.delete(listener) || current.listeners.size > 0) return;
      this.channels.delete(channel);
      await subscriber.unsubscribe(channel);
    };
  }

  /** Closes the subscriber connection this bus opened; the publishing connection belongs to the caller. */
  async close(): Promise<void> {
    this.channels.clear();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber !== undefined) await subscriber.quit().catch(() => subscriber.disconnect());
  }

  private channelOf(userId: string): string {
    return `${this.prefix}:in-app:${userId}`;
  }

  private connection(): Redis {
    if (this.subscriber === undefined) {
      const subscriber = this.redis.duplicate();
      subscriber.on('message', (channel: string, raw: string) => this.dispatch(channel, raw));
      this.subscriber = subscriber;
    }
    return this.subscriber;
  }

  private dispatch(channel: string, raw: string): void {
    const listeners = this.channels.get(channel)?.listeners;
    if (listeners === undefined) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return; // Not ours (someone else published on the channel): a live feed drops it.
    }
    const parsed = eventSchema.safeParse(json);
    if (!parsed.success) return;
    for (const listener of listeners) listener(parsed.data);
  }
}
