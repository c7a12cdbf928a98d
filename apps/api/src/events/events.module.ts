import { Module } from '@nestjs/common';
import { AuthCoreModule } from '#app/auth';
import { EventsController } from './events.controller.js';
import { InAppEventsService } from './in-app-events.service.js';

@Module({ imports: [AuthCoreModule], controllers: [EventsController], providers: [InAppEventsService] })
export class EventsModule {}
