import { Inject, Injectable, Logger } from '@nestjs/common';
import { PrismaService } from '#app/database';
import { type InAppEventBus, REMINDER_EVENT_INCLUDE, reminderAudienceEvents, type ReminderEventKind } from '#app/notifications';
import { IN_APP_EVENT_BUS } from '../delivery/delivery-channels.provider.js';

export interface ReminderEvent {
  kind: ReminderEventKind;
  reminderId: string;
}

/**
 * Tells the owner's open sessions, and the dashboard of the car's service center, that the feed changed.
 * Best effort by design: pub/sub reaches only listeners connected now, and a client that missed it reads
 * the stored reminders when it reconnects. Staff get the owner's rendering (the dashboard refreshes from
 * the API in its own language; the event says what changed and for which car).
 */
@Injectable()
export class ReminderEventsPublisher {
  private readonly logger = new Logger(ReminderEventsPublisher.name);

  constructor(
    private readonly prisma: PrismaService,
    @Inject(IN_APP_EVENT_BUS) private readonly bus: InAppEventBus,
  ) {}

  async publish(events: readonly ReminderEvent[], now: Date): Promise<void> {
    for (const event of events) {
      try {
        await this.publishOne(event, now);
      } catch (error) {
        this.logger.warn(`in-app ${event.kind} event for reminder ${event.reminderId} not published: ${String(error)}`);
      }
    }
  }

  private async publishOne({ kind, reminderId }: ReminderEvent, now: Date): Promise<void> {
    const reminder = await this.prisma.reminder.findUnique({ where: { id: reminderId }, include: REMINDER_EVENT_INCLUDE });
    if (reminder === null) return;
    for (const { audience, event } of reminderAudienceEvents(kind, reminder, now)) await this.bus.publish(audience, event);
  }
}
