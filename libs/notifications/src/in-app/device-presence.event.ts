import { centerAudience, type InAppEvent } from './in-app-event.bus.js';

/**
 * A device's presence in the dashboard's words. CONNECTED: its last word was the birth. OFFLINE: it said goodbye
 * (clean shutdown). UNPLUGGED: the broker published its last will, the connection ended without a goodbye.
 * NEVER_CONNECTED: no status word yet.
 */
export const DEVICE_PRESENCE_STATES = ['CONNECTED', 'OFFLINE', 'UNPLUGGED', 'NEVER_CONNECTED'] as const;
export type DevicePresence = (typeof DEVICE_PRESENCE_STATES)[number];

/** A device_status row's presence columns (none: the device never spoke). */
export interface StoredPresence {
  state: 'ONLINE' | 'OFFLINE';
  offlineReason: 'CLEAN' | 'UNEXPECTED' | null;
}

/** The one rule from a stored row to the dashboard's word, for the API's views and ingestion's live events alike. */
export function presenceOf(row: StoredPresence | null): DevicePresence {
  if (row === null) return 'NEVER_CONNECTED';
  if (row.state === 'ONLINE') return 'CONNECTED';
  // Unplugged: the broker spoke for the device (its last will), the device never said goodbye.
  return row.offlineReason === 'CLEAN' ? 'OFFLINE' : 'UNPLUGGED';
}

/** A change of a car's device presence, as ingestion's device-status listener stored it. */
export interface DevicePresenceChange {
  vin: string;
  serviceCenterId: string;
  previous: DevicePresence;
  state: Exclude<DevicePresence, 'NEVER_CONNECTED'>;
  /** Since when the new state holds: the receipt time of the word (the platform's clock). */
  since: Date;
  firmware: string | null;
}

const TITLES: Record<DevicePresenceChange['state'], string> = {
  CONNECTED: 'Device connected',
  OFFLINE: 'Device offline',
  UNPLUGGED: 'Device unplugged',
};

/**
 * The live event of a presence change, for the staff of the car's service center only (`event: device` on their
 * `/me/events`): owners are not told, and another center never hears of the car. `data` carries what the
 * dashboard draws (the state and since when); the title is a fallback line, the dashboard words it itself.
 */
export function devicePresenceEvent(change: DevicePresenceChange, now: Date): { audience: string; event: InAppEvent } {
  return {
    audience: centerAudience(change.serviceCenterId),
    event: {
      type: 'device',
      title: TITLES[change.state],
      text: change.vin,
      data: {
        event: 'presence',
        vin: change.vin,
        state: change.state,
        previous: change.previous,
        since: change.since.toISOString(),
        firmware: change.firmware,
      },
      at: now.toISOString(),
    },
  };
}
