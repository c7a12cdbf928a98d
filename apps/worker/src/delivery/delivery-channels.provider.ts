import type { FactoryProvider, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type WorkerConfig } from '#app/config';
import {
  EmailChannel,
  InAppChannel,
  OutboundAllowList,
  type InAppEventBus,
  TransportInAppEventBus,
  VapidKeyStore,
  WebhookChannel,
  WebPushChannel,
} from '#app/notifications';
import { liveEventsClient } from '#app/queue';

/** Injection token for the bus in-app events travel on (worker -> every API replica's SSE streams). */
export const IN_APP_EVENT_BUS = Symbol('IN_APP_EVENT_BUS');

/** The four channels, built once from the configuration. */
export class DeliveryChannels implements OnApplicationShutdown {
  constructor(
    readonly webPush: WebPushChannel,
    readonly webhook: WebhookChannel,
    readonly email: EmailChannel,
    readonly inApp: InAppChannel,
  ) {}

  onApplicationShutdown(): void {
    this.email.close();
  }
}

/** `ClientProxy.emit` on the Nest Redis transport; its clients are closed with the worker (TransportInAppEventBus). */
export const inAppEventBusProvider: FactoryProvider<InAppEventBus> = {
  provide: IN_APP_EVENT_BUS,
  inject: [APP_CONFIG],
  useFactory: (config: WorkerConfig) => new TransportInAppEventBus(liveEventsClient(config), config.queuePrefix),
};

export const deliveryChannelsProvider: FactoryProvider<Promise<DeliveryChannels>> = {
  provide: DeliveryChannels,
  inject: [APP_CONFIG, IN_APP_EVENT_BUS],
  useFactory: async (config: WorkerConfig, bus: InAppEventBus) => {
    const n = config.notifications;
    // The key file is created on first use and then only read: subscriptions are bound to its public key.
    const keys = await new VapidKeyStore(n.vapid.keyFile).load();
    // Parsed here, at start: a malformed range stops the worker instead of refusing every delivery later.
    const allowList = OutboundAllowList.of(n.outboundAllowedCidrs);
    return new DeliveryChannels(
      new WebPushChannel({ vapid: { ...keys, subject: n.vapid.subject }, ttlSeconds: n.webPushTtlSeconds, timeoutMs: n.webPushTimeoutMs, allowList }),
      new WebhookChannel({ timeoutMs: n.webhookTimeoutMs, allowList }),
      new EmailChannel(n.smtp),
      new InAppChannel(bus),
    );
  },
};
