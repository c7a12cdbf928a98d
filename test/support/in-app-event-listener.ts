import { randomUUID } from 'node:crypto';
import { Controller, type DynamicModule, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, EventPattern, type MicroserviceOptions, Payload } from '@nestjs/microservices';
import { IN_APP_EVENT_PATTERN, InAppEventHub, parseInAppEnvelope, TransportInAppEventBus } from '#app/notifications';
import { redisTransportOptions } from '#app/queue';

const HUB = Symbol('HUB');

@Controller()
class TestInAppListener {
  constructor(@Inject(HUB) private readonly hub: InAppEventHub) {}

  @EventPattern(IN_APP_EVENT_PATTERN)
  receive(@Payload() payload: unknown): void {
    const envelope = parseInAppEnvelope(payload);
    if (envelope !== undefined) this.hub.dispatch(envelope);
  }
}

@Module({})
class TestInAppListenerModule {
  static with(hub: InAppEventHub): DynamicModule {
    return { module: TestInAppListenerModule, controllers: [TestInAppListener], providers: [{ provide: HUB, useValue: hub }] };
  }
}

export interface InAppEventListener {
  readonly hub: InAppEventHub;
  close(): Promise<void>;
}

/**
 * A second process's end of the in-app events transport, as an API replica has it: a Nest microservice on the
 * Redis transport feeding a hub. Resolves once an event emitted now reaches it (the transport's SUBSCRIBE is
 * sent without waiting for Redis's answer).
 */
export async function startInAppEventListener(redisUrl: string, scope: string): Promise<InAppEventListener> {
  const hub = new InAppEventHub(scope);
  const server = await NestFactory.createMicroservice<MicroserviceOptions>(TestInAppListenerModule.with(hub), {
    ...redisTransportOptions(redisUrl),
    logger: ['error'],
  });
  await server.listen();
  const probe = new TransportInAppEventBus(ClientProxyFactory.create(redisTransportOptions(redisUrl)), scope);
  const audience = `probe-${randomUUID()}`;
  let heard = false;
  const stop = hub.subscribe(audience, () => (heard = true));
  try {
    for (let attempt = 0; !heard; attempt += 1) {
      if (attempt === 50) throw new Error('the in-app event listener did not hear its probe within 5 s');
      await probe.publish(audience, { type: 'reminder', title: 'probe', text: '', data: {}, at: new Date().toISOString() });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    stop();
    await probe.onApplicationShutdown();
  }
  return { hub, close: () => server.close() };
}
