/** What staff see of a car's device: the dashboard's words, not the wire's. */
export const DEVICE_STATES = ['CONNECTED', 'OFFLINE', 'UNPLUGGED', 'NEVER_CONNECTED'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

export interface DeviceStatusView {
  vin: string;
  /**
   * CONNECTED: its last word was the birth. OFFLINE: it said goodbye (clean shutdown). UNPLUGGED: the broker
   * published its last will, so the connection ended without a goodbye. NEVER_CONNECTED: no status word yet.
   */
  state: DeviceState;
  /** Since when the state holds (server clock); null when never connected. */
  since: string | null;
  /** For OFFLINE and UNPLUGGED: seconds since the device went away. */
  offlineForSeconds: number | null;
  firmware: string | null;
  lastTelemetryAt: string | null;
  /**
   * Set when the car's messages of the last 24 h were all refused (some refused, none stored): its device is
   * talking but nothing it says is usable, with the newest reason.
   */
  allRefused: { count: number; reason: string; detail: string; lastAt: string } | null;
}

/** One car's row as the repository reads it. */
export interface DeviceStatusRow {
  vin: string;
  lastTelemetryAt: Date | null;
  state: 'ONLINE' | 'OFFLINE' | null;
  offlineReason: 'CLEAN' | 'UNEXPECTED' | null;
  connectedAt: Date | null;
  disconnectedAt: Date | null;
  firmware: string | null;
  rejectedCount: number | null;
  rejectedReason: string | null;
  rejectedDetail: string | null;
  rejectedAt: Date | null;
}
