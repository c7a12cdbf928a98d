// Pure: which channels one notification of a reminder goes out on, and when each may be sent.
import { type DeliveryPreference, decideSendTime, type ChannelKind as Channel, type Risk } from '#app/notifications';

export interface PlanPreference extends DeliveryPreference {
  channels: readonly Channel[];
  webhookUrl: string | null;
}

export interface PlannedDelivery {
  channel: Channel;
  status: 'PENDING' | 'HELD';
  holdUntil: Date;
}

export interface PlanInput {
  preference: PlanPreference;
  risk: Risk;
  /** The owner has at least one push subscription (otherwise a push delivery has no recipient). */
  hasPushSubscription: boolean;
  now: Date;
}

/**
 * A webhook URL is an explicit opt-in, so WEBHOOK is added when one is set even if the channel list
 * predates it. In-app ignores quiet hours: it makes no sound, and the feed should be current.
 */
export function planDeliveries({ preference, risk, hasPushSubscription, now }: PlanInput): PlannedDelivery[] {
  const channels = new Set<Channel>(preference.channels);
  if (preference.webhookUrl) channels.add('WEBHOOK');
  else channels.delete('WEBHOOK');
  if (!hasPushSubscription) channels.delete('WEB_PUSH');
  const sendTime = decideSendTime(preference, risk, now);
  const held = sendTime.at.getTime() > now.getTime();
  return [...channels]
    .sort()
    .map((channel) =>
      channel === 'IN_APP' || !held
        ? { channel, status: 'PENDING' as const, holdUntil: now }
        : { channel, status: 'HELD' as const, holdUntil: sendTime.at },
    );
}

/** The notification's identity within its reminder: which forecast version, which repeat. */
export function notificationKeyOf(version: number, notifyCount: number): string {
  return `v${version}n${notifyCount}`;
}
