import type { FactoryProvider } from '@nestjs/common';
import { APP_CONFIG, type IngestionConfig } from '#app/config';
import { type InAppEventBus, TransportInAppEventBus } from '#app/notifications';
import { liveEventsClient } from '#app/queue';

/** Injection token for the device-status listener's publishing end of the live events transport. */
export const DEVICE_EVENT_BUS = Symbol('DEVICE_EVENT_BUS');

/**
 * `ClientProxy.emit` on the Nest Redis transport, as the worker's and the API's events, so every API replica's
 * staff streams hear a device change; closed with the listener's context (TransportInAppEventBus).
 */
export const deviceEventBusProvider: FactoryProvider<InAppEventBus> = {
  provide: DEVICE_EVENT_BUS,
  inject: [APP_CONFIG],
  useFactory: (config: IngestionConfig) => new TransportInAppEventBus(liveEventsClient(config), config.queuePrefix),
};
