import type { FactoryProvider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { type InAppEventBus, TransportInAppEventBus } from '#app/notifications';
import { liveEventsClient } from '#app/queue';

/** Injection token for the API's publishing end of the in-app events transport. */
export const IN_APP_EVENT_BUS = Symbol('IN_APP_EVENT_BUS');

/** `ClientProxy.emit` on the Nest Redis transport; closed with the app (TransportInAppEventBus). */
export const inAppEventBusProvider: FactoryProvider<InAppEventBus> = {
  provide: IN_APP_EVENT_BUS,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => new TransportInAppEventBus(liveEventsClient(config), config.queuePrefix),
};
