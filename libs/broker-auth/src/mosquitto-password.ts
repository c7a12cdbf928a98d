import { pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Mosquitto 2.0's password hash, the `$7$` format mosquitto_passwd writes:
 * `$7$<iterations>$<base64 salt>$<base64 PBKDF2-HMAC-SHA512>`. Storing exactly this in devices.credentialHash
 * lets the broker's password file be rendered from Postgres at any time without knowing a secret.
 *
 * 101 rounds and a 12-byte salt are mosquitto_passwd's own defaults. Few rounds are enough here: a device
 * secret is 192 random bits (device-secret.ts), so a leaked hash cannot be guessed however cheap a guess is,
 * and the broker re-derives the hash on every CONNECT on its single thread.
 */
export const MOSQUITTO_PBKDF2_ITERATIONS = 101;
const SALT_BYTES = 12;
const HASH_BYTES = 64;
const PBKDF2_FORMAT = /^\$7\$([1-9]\d{0,6})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

export interface MosquittoHashOptions {
  /** Fixed salt for reproducible tests; random otherwise. */
  readonly salt?: Buffer;
  readonly iterations?: number;
}

export function hashMosquittoPassword(secret: string, options: MosquittoHashOptions = {}): string {
  const salt = options.salt ?? randomBytes(SALT_BYTES);
  const iterations = options.iterations ?? MOSQUITTO_PBKDF2_ITERATIONS;
  const hash = pbkdf2Sync(secret, salt, iterations, HASH_BYTES, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Whether `secret` matches a `$7$` hash; false for anything else (other formats, a damaged value). */
export function verifyMosquittoPassword(secret: string, encoded: string): boolean {
  const match = PBKDF2_FORMAT.exec(encoded);
  if (!match) return false;
  const expected = Buffer.from(match[3], 'base64');
  if (expected.length === 0) return false;
  const actual = pbkdf2Sync(secret, Buffer.from(match[2], 'base64'), Number(match[1]), expected.length, 'sha512');
  return timingSafeEqual(actual, expected);
}

/** Whether a stored value is a `$7$` hash Mosquitto can read (checked before it goes into the password file). */
export function isMosquittoPasswordHash(encoded: string): boolean {
  return PBKDF2_FORMAT.test(encoded);
}
