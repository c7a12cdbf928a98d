import type { IngestionReplicaState } from '#app/observability';

/** Cumulative counters read at one moment: what the broker says it received, what reached this replica. */
export interface TrafficReading {
  atMs: number;
  /** The broker's count of PUBLISH packets received since it started (Mosquitto's $SYS); null when unknown. */
  brokerPublishes: number | null;
  received: number;
}

export interface ConnectionsState {
  connections: number;
  connected: number;
  subscribed: number;
}

export interface IngestionAssessment {
  state: IngestionReplicaState;
  detail?: string;
  /** Over the window; null when the broker does not report (or restarted within it). */
  brokerPublishes: number | null;
  received: number;
}

/**
 * Fewer publishes than this over a whole window say nothing: a few stray publishes on other topics (the API's
 * probes, a device's status) must not raise an alarm; a car reports every few seconds, a fleet far more.
 */
export const STALL_MIN_BROKER_PUBLISHES = 10;

/**
 * Is telemetry reaching this replica? Stalled when, over the last `windowMs`, the broker received at least
 * STALL_MIN_BROKER_PUBLISHES publishes and not one reached us. Readings are cumulative, oldest first; the
 * window is judged from the newest reading back to the newest one at least `windowMs` older (none that old
 * yet: too early to say, so ok).
 */
export function assessIngestion(readings: readonly TrafficReading[], connections: ConnectionsState, windowMs: number): IngestionAssessment {
  const newest = readings.at(-1);
  const baseline = newest === undefined ? undefined : [...readings].reverse().find((r) => newest.atMs - r.atMs >= windowMs);
  const received = newest !== undefined && baseline !== undefined ? newest.received - baseline.received : 0;
  const brokerPublishes =
    newest?.brokerPublishes == null || baseline?.brokerPublishes == null || newest.brokerPublishes < baseline.brokerPublishes
      ? null // unknown, or the broker restarted (its counter began again)
      : newest.brokerPublishes - baseline.brokerPublishes;
  const traffic = { brokerPublishes, received };

  if (connections.connected < connections.connections) {
    return {
      state: 'disconnected',
      detail: `${connections.connections - connections.connected} of ${connections.connections} broker connection(s) down, reconnecting`,
      ...traffic,
    };
  }
  if (connections.subscribed < connections.connections) {
    return {
      state: 'unsubscribed',
      detail: `${connections.connections - connections.subscribed} of ${connections.connections} connection(s) without a granted subscription`,
      ...traffic,
    };
  }
  if (newest !== undefined && baseline !== undefined && brokerPublishes !== null && brokerPublishes >= STALL_MIN_BROKER_PUBLISHES && received === 0) {
    const seconds = Math.round((newest.atMs - baseline.atMs) / 1000);
    return {
      state: 'stalled',
      detail: `the broker received ${brokerPublishes} publishes in the last ${seconds} s and none reached ingestion`,
      ...traffic,
    };
  }
  return { state: 'ok', ...traffic };
}
