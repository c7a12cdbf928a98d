import { Module } from '@nestjs/common';
import { inAppEventBusProvider } from './in-app-event-bus.provider.js';
import { EventsController } from './events.controller.js';
import { InAppEventsListener } from './in-app-events.listener.js';
import { InAppEventsService } from './in-app-events.service.js';
import { OwnerEventsPublisher } from './owner-events.publisher.js';

@Module({
  controllers: [EventsController, InAppEventsListener],
  providers: [InAppEventsService, OwnerEventsPublisher, inAppEventBusProvider],
  exports: [OwnerEventsPublisher],
})
export class EventsModule {}
