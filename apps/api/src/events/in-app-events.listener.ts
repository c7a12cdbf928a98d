import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Public } from '#app/auth';
import { IN_APP_EVENT_PATTERN } from '#app/notifications';
import { InAppEventsService } from './in-app-events.service.js';

/**
 * Every API replica's end of the Nest Redis transport (the API is a hybrid app: HTTP plus this listener), so
 * an event the worker or another replica emits reaches the SSE streams open on each of them.
 */
@Controller()
export class InAppEventsListener {
  constructor(private readonly events: InAppEventsService) {}

  /** Public to the global JWT guard: this is not an HTTP request, it comes from the platform's own Redis. */
  @Public()
  @EventPattern(IN_APP_EVENT_PATTERN)
  receive(@Payload() payload: unknown): void {
    this.events.deliver(payload);
  }
}
