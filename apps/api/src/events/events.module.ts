import { Module } from '@nestjs/common';
import { EventsController } from './events.controller.js';
import { InAppEventsService } from './in-app-events.service.js';
import { OwnerEventsPublisher } from './owner-events.publisher.js';

@Module({
  controllers: [EventsController],
  providers: [InAppEventsService, OwnerEventsPublisher],
  exports: [OwnerEventsPublisher],
})
export class EventsModule {}
