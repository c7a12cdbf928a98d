import bcrypt from 'bcryptjs';
import { isValidVin } from '#app/telemetry';
import { deviceWriteTopics } from './broker-credentials.renderer.js';
import { deviceSerialProblem } from './device-secret.js';

/**
 * bcrypt cost of a device's NATS hash. NATS checks it on every CONNECT; a low cost is enough for the same reason
 * Mosquitto's 101 PBKDF2 rounds are (mosquitto-password.ts): a device secret is 192 random bits, so a leaked hash
 * cannot be guessed however cheap one guess is, while 50 cars reconnecting after a node's death cost the surviving
 * nodes 50 hashes at once.
 */
export const NATS_BCRYPT_COST = 6;

/** The device secret as the NATS tier stores it (devices.natsCredentialHash). */
export function hashNatsPassword(secret: string): Promise<string> {
  return bcrypt.hash(secret, NATS_BCRYPT_COST);
}

/** An MQTT topic as NATS's MQTT listener maps it to a subject: `vehicles/VIN/telemetry` is `vehicles.VIN.telemetry`. */
export function natsSubjectOfTopic(topic: string): string {
  return topic.replaceAll('/', '.');
}

/** The subject a NATS stream delivers back as the device contract's MQTT topic. */
export function topicOfNatsSubject(subject: string): string {
  return subject.replaceAll('.', '/');
}

export interface NatsDeviceLogin {
  readonly serial: string;
  readonly vin: string;
  /** devices.natsCredentialHash: null for a device provisioned before the NATS tier. */
  readonly natsCredentialHash: string | null;
}

/** The platform's own NATS user (ingestion, operators): scripts/nats-cluster.sh creates it. */
export interface NatsPlatformUser {
  readonly user: string;
  readonly password: string;
}

export interface RenderedNatsAuthorization {
  /** The `authorization { users = [...] }` block every node includes (scripts/nats-cluster.sh: `<dir>/auth.conf`). */
  readonly config: string;
  readonly skipped: readonly { readonly serial: string; readonly reason: string }[];
}

const BCRYPT_FORMAT = /^\$2[aby]?\$\d{2}\$[./A-Za-z0-9]{53}$/;

/**
 * NATS 2.9 has no auth callout (it came with 2.10), so device logins are static users in the nodes' config,
 * rendered from the devices table like Mosquitto's password and ACL files and re-read on SIGHUP
 * (`scripts/nats-cluster.sh reload`). Each device may publish to its own VIN's telemetry and status subjects only
 * (the same list as the Mosquitto ACL) and subscribe to nothing; the MQTT listener's SUBACK refuses a device's
 * SUBSCRIBE then. The platform's user may do everything. Sorted, so the same rows give the same bytes.
 */
export function renderNatsAuthorization(platform: NatsPlatformUser, devices: readonly NatsDeviceLogin[]): RenderedNatsAuthorization {
  const skipped: { serial: string; reason: string }[] = [];
  const users = [`    { user: ${quote(platform.user)}, password: ${quote(platform.password)} }`];
  for (const device of [...devices].sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0))) {
    const reason = problemWith(device);
    if (reason !== undefined) {
      skipped.push({ serial: JSON.stringify(device.serial), reason });
      continue;
    }
    const subjects = deviceWriteTopics(device.vin).map((topic) => quote(natsSubjectOfTopic(topic)));
    users.push(
      `    { user: ${quote(device.serial)}, password: ${quote(device.natsCredentialHash ?? '')},\n` +
        `      permissions: { publish: { allow: [${subjects.join(', ')}] }, subscribe: { deny: [">"] } } }`,
    );
  }
  const header = '# Generated from the devices table by libs/broker-auth (renderNatsAuthorization): do not edit.\n';
  return { config: `${header}authorization {\n  users = [\n${users.join(',\n')}\n  ]\n}\n`, skipped };
}

function problemWith(device: NatsDeviceLogin): string | undefined {
  const serialProblem = deviceSerialProblem(device.serial);
  if (serialProblem !== undefined) return serialProblem;
  if (!isValidVin(device.vin) || device.vin !== device.vin.toUpperCase()) return 'VIN is not an upper-case VIN';
  if (device.natsCredentialHash === null) return 'no NATS credential (provisioned before the NATS tier: give the vehicle a new device)';
  if (!BCRYPT_FORMAT.test(device.natsCredentialHash)) return 'NATS credential is not a bcrypt hash';
  return undefined;
}

/**
 * A double-quoted NATS config string. The values here are a serial (DEVICE_SERIAL_PATTERN), subjects of an
 * upper-case VIN, a bcrypt hash and the script's base64 password: none can hold a quote or a backslash, checked
 * anyway so a future caller cannot break out of the string.
 */
function quote(value: string): string {
  if (/["\\\n\r]/.test(value)) throw new Error('a NATS config value must not contain quotes, backslashes or line breaks');
  return `"${value}"`;
}
