import { Module } from '@nestjs/common';
import { inAppEventBusProvider } from './in-app-event-bus.provider.js';
import { EventsController } from './events.controller.js';
import { InAppEventsListener } from './in-app-events.listener.js';
import { InAppEventsService } from './in-app-events.service.js';
import { OwnerEventRepository } from './owner-event.repository.js';
import { OwnerEventsPublisher } from './owner-events.publisher.js';

@Module({
  controllers: [EventsController, InAppEventsListener],
  providers: [InAppEventsService, OwnerEventsPublisher, OwnerEventRepository, inAppEventBusProvider],
  exports: [OwnerEventsPublisher],
})
export class EventsModule {}
