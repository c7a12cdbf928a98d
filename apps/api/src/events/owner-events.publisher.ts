import { Inject, Injectable, Logger } from '@nestjs/common';
import { centerAudience, type Language, languageOf, type InAppEventBus, reminderAudienceEvents, type ReminderEventKind } from '#app/notifications';
import { IN_APP_EVENT_BUS } from './in-app-event-bus.provider.js';
import { systemScope } from '../common/vehicle-scope.model.js';
import { withTimeout } from '../common/with-timeout.js';
import { OwnerEventRepository } from './owner-event.repository.js';

export type AppointmentEventKind = 'created' | 'confirmed' | 'declined' | 'completed' | 'cancelled';

export type OwnerEvent = { kind: ReminderEventKind; reminderId: string } | { kind: AppointmentEventKind; appointmentId: string };

const JUST_CHANGED = systemScope('the subject of an event, changed in the caller scope in this request');

// A Redis outage must not hold an HTTP request whose change is already committed (as RescoreRequestService).
const PUBLISH_TIMEOUT_MS = 1000;

const APPOINTMENT_TITLES: Record<Language, Record<AppointmentEventKind, string>> = {
  en: {
    created: 'Appointment requested',
    confirmed: 'Appointment confirmed',
    declined: 'Appointment declined',
    completed: 'Service completed',
    cancelled: 'Appointment cancelled',
  },
  zh: { created: '已提交预约', confirmed: '预约已确认', declined: '预约被拒绝', completed: '保养已完成', cancelled: '预约已取消' },
};

/**
 * Tells the owner's open sessions (a phone and a dashboard tab), and the staff dashboard of the car's
 * service center, about a change made through the API, so the sessions that did not act update too.
 * Called after the transaction commits, so a listener that reloads sees the change. Best effort like the worker's events: pub/sub reaches only listeners
 * connected now, and a failure (Redis away) is logged, never turned into a failed request whose
 * change is already stored.
 */
@Injectable()
export class OwnerEventsPublisher {
  private readonly logger = new Logger(OwnerEventsPublisher.name);

  constructor(
    private readonly rows: OwnerEventRepository,
    // Emitted on the Nest Redis transport, so the streams open on every replica hear it, this one's included.
    @Inject(IN_APP_EVENT_BUS) private readonly bus: InAppEventBus,
  ) {}

  async publish(events: readonly OwnerEvent[], now: Date = new Date()): Promise<void> {
    if (events.length === 0) return;
    // publishEach never rejects, so only the bound can end up here.
    await withTimeout(this.publishEach(events, now), PUBLISH_TIMEOUT_MS, 'in-app event publishing').catch((error: unknown) => {
      this.logger.warn(`${error instanceof Error ? error.message : String(error)}; left to finish or fail in the background`);
    });
  }

  /** Never rejects: each failure is logged, and the next event is still tried. */
  private async publishEach(events: readonly OwnerEvent[], now: Date): Promise<void> {
    for (const event of events) {
      try {
        await ('reminderId' in event
          ? this.publishReminder(event.kind, event.reminderId, now)
          : this.publishAppointment(event.kind, event.appointmentId, now));
      } catch (error) {
        const subject = 'reminderId' in event ? `reminder ${event.reminderId}` : `appointment ${event.appointmentId}`;
        this.logger.warn(`in-app ${event.kind} event for ${subject} not published: ${String(error)}`);
      }
    }
  }

  /** The same events the worker publishes for a reminder, so clients handle one shape. */
  private async publishReminder(kind: ReminderEventKind, reminderId: string, now: Date): Promise<void> {
    const reminder = await this.rows.reminder(JUST_CHANGED, reminderId);
    if (reminder === null) return;
    for (const { audience, event } of reminderAudienceEvents(kind, reminder, now)) await this.bus.publish(audience, event);
  }

  private async publishAppointment(kind: AppointmentEventKind, appointmentId: string, now: Date): Promise<void> {
    const appointment = await this.rows.appointment(JUST_CHANGED, appointmentId);
    if (appointment === null) return;
    const { vehicle } = appointment;
    const name = `${vehicle.make} ${vehicle.model}`.trim();
    const event = {
      type: 'appointment' as const,
      title: APPOINTMENT_TITLES[languageOf(appointment.owner.preference?.language)][kind],
      text: vehicle.plate ? `${name} (${vehicle.plate})` : name,
      data: {
        event: kind,
        appointmentId,
        status: appointment.status,
        reminderId: appointment.reminderId,
        vin: vehicle.vin,
        preferredAt: appointment.preferredAt.toISOString(),
        scheduledAt: appointment.scheduledAt?.toISOString() ?? null,
      },
      at: now.toISOString(),
    };
    // The owner's other sessions, and the staff dashboard of the center (an owner's booking or cancelling is its news).
    await this.bus.publish(appointment.ownerId, event);
    await this.bus.publish(centerAudience(appointment.serviceCenterId), event);
  }
}
