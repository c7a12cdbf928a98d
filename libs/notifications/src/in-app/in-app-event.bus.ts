import type { MessageData } from '../channels/notification-channel.model.js';

/** What an event is about; the SSE stream uses it as the event name (`event: reminder`). */
export const IN_APP_EVENT_TYPES = ['reminder', 'appointment', 'device'] as const;
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
export type Unsubscribe = () => void;

/**
 * Carries events from the process that publishes them (worker, API) to those that serve users live (every API
 * replica): the Nest Redis transport (in-app-event.transport.ts). An audience is who listens: a user (their
 * id) or a service center's staff (centerAudience).
 */
export interface InAppEventBus {
  /** Resolves once the event is handed to Redis; whoever listens now gets it (nobody listening is fine). */
  publish(audience: string, event: InAppEvent): Promise<void>;
}

/** The audience of everyone on a service center's staff: its dashboard hears about its customers' cars. */
export function centerAudience(serviceCenterId: string): string {
  return `center:${serviceCenterId}`;
}
