import { networkFailure } from '../channels/http-failure.classifier.js';
import type { DeliveryResult, NotificationChannel, RenderedMessage } from '../channels/notification-channel.model.js';
import type { InAppEventBus } from './in-app-event.bus.js';

export interface InAppTarget {
  userId: string;
}

/**
 * In-app delivery: the reminder row already is the owner's feed, so delivering means telling the
 * owner's open sessions about it now. Nobody listening is still a successful delivery.
 */
export class InAppChannel implements NotificationChannel<InAppTarget> {
  readonly kind = 'IN_APP' as const;

  constructor(
    private readonly bus: InAppEventBus,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async send(target: InAppTarget, message: RenderedMessage): Promise<DeliveryResult> {
    try {
      await this.bus.publish(target.userId, {
        type: 'reminder',
        title: message.title,
        text: message.text,
        data: message.data,
        at: this.clock().toISOString(),
      });
      return { ok: true };
    } catch (error) {
      return networkFailure(error);
    }
  }
}
