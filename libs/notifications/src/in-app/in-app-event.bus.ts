import type { MessageData } from '../channels/notification-channel.model.js';

/** What an event is about; the SSE stream uses it as the event name (`event: reminder`). */
export const IN_APP_EVENT_TYPES = ['reminder', 'appointment'] as const;
export type InAppEventType = (typeof IN_APP_EVENT_TYPES)[number];

/** What a live listener (the API's SSE stream) receives; the stored rows stay the source of truth. */
export interface InAppEvent {
  type: InAppEventType;
  title: string;
  text: string;
  data: MessageData;
  /** ISO-8601 time the event was published. */
  at: string;
}

export type InAppListener = (event: InAppEvent) => void;
export type Unsubscribe = () => Promise<void>;

/**
 * Carries events from the process that publishes them (worker, API) to those that serve users live (API).
 * An audience is who listens: a user (their id) or a service center's staff (centerAudience).
 */
export interface InAppEventBus {
  /** Resolves to the number of processes that received it (0: nobody is listening now, which is fine). */
  publish(audience: string, event: InAppEvent): Promise<number>;
  /** Resolves once the subscription is active, so nothing published afterwards is missed. */
  subscribe(audience: string, listener: InAppListener): Promise<Unsubscribe>;
}

/** The audience of everyone on a service center's staff: its dashboard hears about its customers' cars. */
export function centerAudience(serviceCenterId: string): string {
  return `center:${serviceCenterId}`;
}
