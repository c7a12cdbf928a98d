import { z } from 'zod';
import { isValidVin } from './telemetry-topic.parser.js';

/**
 * The device contract's presence messages on `vehicles/{vin}/status`, all published retained at QoS 1, so the
 * topic always holds the device's latest word and a listener that starts later reads it at once:
 * - birth, published on every connect: `{"state":"online","ts":...,"fw":"..."}`;
 * - last will, set in CONNECT and published by the broker when the connection ends without DISCONNECT
 *   (power cut, unplugged, network gone): `{"state":"offline","reason":"unexpected"}`;
 * - clean shutdown, published just before DISCONNECT (which cancels the will): `{"state":"offline","reason":"clean"}`.
 */
export const DEVICE_STATUS_TOPIC_FILTER = 'vehicles/+/status';

export const deviceStatusTopic = (vin: string): string => `vehicles/${vin}/status`;

/** `vehicles/{vin}/status` -> the VIN upper-cased, or undefined for any other topic or a malformed VIN. */
export function parseDeviceStatusTopic(topic: string): string | undefined {
  const parts = topic.split('/');
  if (parts.length !== 3 || parts[0] !== 'vehicles' || parts[2] !== 'status') return undefined;
  const vin = parts[1] ?? '';
  return isValidVin(vin) ? vin.toUpperCase() : undefined;
}

export const OFFLINE_REASONS = ['clean', 'unexpected'] as const;
export type OfflineReason = (typeof OFFLINE_REASONS)[number];

const deviceStatusSchema = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('online'),
    // The device's clock: informative only (the platform keeps its own receipt time).
    ts: z.union([z.string().max(40), z.number()]).optional(),
    fw: z.string().max(64).optional(),
  }),
  z.object({ state: z.literal('offline'), reason: z.enum(OFFLINE_REASONS) }),
]);

export type DeviceStatusMessage = z.infer<typeof deviceStatusSchema>;

export type DeviceStatusCheck = { ok: true; status: DeviceStatusMessage } | { ok: false; problem: string };

/** Reads a status payload (already JSON-decoded); unknown fields are ignored, as in telemetry. */
export function checkDeviceStatus(payload: unknown): DeviceStatusCheck {
  const parsed = deviceStatusSchema.safeParse(payload);
  if (parsed.success) return { ok: true, status: parsed.data };
  return { ok: false, problem: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`).join('; ') };
}

/** The three payloads a device publishes (the simulator's devices and tests use them). */
export const deviceStatusPayloads = {
  birth: (ts: Date, fw?: string): string => JSON.stringify({ state: 'online', ts: ts.toISOString(), ...(fw === undefined ? {} : { fw }) }),
  lastWill: (): string => JSON.stringify({ state: 'offline', reason: 'unexpected' }),
  cleanShutdown: (): string => JSON.stringify({ state: 'offline', reason: 'clean' }),
} as const;
