import { randomBytes } from 'node:crypto';

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
