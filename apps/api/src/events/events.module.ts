import { Module } from '@nestjs/common';
import { AuthCoreModule } from '#app/auth';
import { EventsController } from './events.controller.js';
import { InAppEventsService } from './in-app-events.service.js';
import { OwnerEventsPublisher } from './owner-events.publisher.js';

@Module({
  imports: [AuthCoreModule],
  controllers: [EventsController],
  providers: [InAppEventsService, OwnerEventsPublisher],
  exports: [OwnerEventsPublisher],
})
export class EventsModule {}
