import { randomBytes } from 'node:crypto';
import { INTERNAL_CLIENT_ID_PREFIXES, isInternalClientId } from '#app/config';

/** A device's MQTT password: 24 random bytes (192 bits) as 32 URL-safe characters, shown once. */
export function generateDeviceSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** A serial for a device registered without one: `dev-` and 16 hex digits. */
export function generateDeviceSerial(): string {
  return `dev-${randomBytes(8).toString('hex')}`;
}

/**
 * What a device serial (its MQTT username and client id) may be. It is written into the broker's password
 * and ACL files, so no ':' (the password file's separator), no whitespace or line breaks (a new ACL line),
 * and no MQTT wildcards.
 */
export const DEVICE_SERIAL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;

/**
 * Why a serial cannot be a device's, or undefined when it can. Besides the pattern, the serial becomes the
 * device's client id on a broker whose id space it shares with the platform's own clients: one in their space
 * (libs/config mqtt-client-ids.ts) could take over, say, ingestion's session.
 */
export function deviceSerialProblem(serial: string): string | undefined {
  if (!DEVICE_SERIAL_PATTERN.test(serial)) return 'serial must be 3-64 letters, digits, dots, dashes or underscores, starting with a letter or digit';
  if (isInternalClientId(serial)) {
    return `serial must not start with ${INTERNAL_CLIENT_ID_PREFIXES.join(', ')}: those MQTT client ids belong to the platform's own services`;
  }
  return undefined;
}
