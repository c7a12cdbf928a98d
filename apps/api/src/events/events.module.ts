import { Module } from '@nestjs/common';
import { EventsController } from './events.controller.js';
import { InAppEventsService } from './in-app-events.service.js';
import { OwnerEventRepository } from './owner-event.repository.js';
import { OwnerEventsPublisher } from './owner-events.publisher.js';

@Module({
  controllers: [EventsController],
  providers: [InAppEventsService, OwnerEventsPublisher, OwnerEventRepository],
  exports: [OwnerEventsPublisher],
})
export class EventsModule {}
