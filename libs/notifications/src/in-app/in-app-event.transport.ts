import type { ClientProxy } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import { z } from 'zod';
import { IN_APP_EVENT_TYPES, type InAppEvent, type InAppEventBus } from './in-app-event.bus.js';

/**
 * The Nest Redis transport's channel for live events (`ClientProxy.emit` in the worker and the API,
 * `@EventPattern` in every API replica). Redis pub/sub: at-most-once, to the processes subscribed now, which
 * is what a live feed needs (a client that reconnects reloads the stored rows).
 */
export const IN_APP_EVENT_PATTERN = 'carhealth.in-app-event';

const inAppEventSchema = z.object({
  type: z.enum(IN_APP_EVENT_TYPES),
  title: z.string(),
  text: z.string(),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  at: z.string(),
});

/**
 * What travels on the channel. `scope` is the publisher's QUEUE_PREFIX: pub/sub channels are one space for the
 * whole Redis server (whatever database is selected), so platforms and test runs sharing a server tell their
 * events apart by it, as their queues do by the prefix.
 */
const inAppEnvelopeSchema = z.object({ scope: z.string(), audience: z.string().min(1), event: inAppEventSchema });

export type InAppEnvelope = z.infer<typeof inAppEnvelopeSchema>;

/** The envelope, or undefined for anything else on the channel (a live feed drops what it cannot read). */
export function parseInAppEnvelope(payload: unknown): InAppEnvelope | undefined {
  const parsed = inAppEnvelopeSchema.safeParse(payload);
  return parsed.success ? parsed.data : undefined;
}

/** What the bus needs of a Nest transport client: ClientRedis, or its cluster variant (libs/queue). */
export type InAppEventClient = Pick<ClientProxy, 'emit' | 'close'>;

/** Publishes through a Nest Redis transport client (ClientRedis); the caller's module owns its lifetime. */
export class TransportInAppEventBus implements InAppEventBus {
  constructor(
    private readonly client: InAppEventClient,
    private readonly scope: string,
  ) {}

  async publish(audience: string, event: InAppEvent): Promise<void> {
    const envelope: InAppEnvelope = { scope: this.scope, audience, event };
    // emit() is hot (sent at once); awaiting its completion surfaces a Redis error to the caller.
    await firstValueFrom(this.client.emit(IN_APP_EVENT_PATTERN, envelope), { defaultValue: undefined });
  }

  /** Nest calls this for a provider instance; elsewhere the owner calls it. */
  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
