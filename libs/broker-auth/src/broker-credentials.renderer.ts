import { deviceStatusTopic, isValidVin, telemetryTopicOf } from '#app/telemetry';
import { deviceSerialProblem } from './device-secret.js';
import { isMosquittoPasswordHash } from './mosquitto-password.js';

/** An active device as the broker needs it. */
export interface DeviceLogin {
  readonly serial: string;
  readonly vin: string;
  readonly credentialHash: string;
}

export interface RenderedBrokerCredentials {
  readonly passwordFile: string;
  readonly aclFile: string;
  /** Rows left out because writing them would break (or widen) the files; the rest still work. */
  readonly skipped: readonly { readonly serial: string; readonly reason: string }[];
}

/**
 * The only topics a device may write (the device contract): its own vehicle's telemetry, then its own status
 * (birth, clean shutdown, and the last will it sets in CONNECT, which Mosquitto checks against this ACL too).
 */
export function deviceWriteTopics(vin: string): string[] {
  return [telemetryTopicOf(vin), deviceStatusTopic(vin)];
}

const HEADER = '# Generated from the devices table by the broker credentials writer (libs/broker-auth): do not edit.\n';

/**
 * Mosquitto's password_file and acl_file for the device listener. The ACL needs one `user` block per device
 * because the username is the serial, not the VIN, so a `pattern` with %u cannot name the VIN. A device gets
 * write access to its telemetry and status topics and nothing else, so it reads nothing: ACLs deny by default.
 * Output is sorted, so the same devices always give the same bytes.
 */
export function renderBrokerCredentials(devices: readonly DeviceLogin[]): RenderedBrokerCredentials {
  const skipped: { serial: string; reason: string }[] = [];
  const accepted = [...devices]
    .sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0))
    .filter((device) => {
      const reason = problemWith(device);
      if (reason !== undefined) skipped.push({ serial: JSON.stringify(device.serial), reason });
      return reason === undefined;
    });
  const passwordLines = accepted.map((device) => `${device.serial}:${device.credentialHash}\n`);
  const aclBlocks = accepted.map(
    (device) =>
      `user ${device.serial}\n${deviceWriteTopics(device.vin)
        .map((topic) => `topic write ${topic}\n`)
        .join('')}`,
  );
  return { passwordFile: passwordLines.join(''), aclFile: HEADER + aclBlocks.join('\n'), skipped };
}

function problemWith(device: DeviceLogin): string | undefined {
  // Rows saved before a rule existed are checked too: a serial in the platform's client-id space stays out.
  const serialProblem = deviceSerialProblem(device.serial);
  if (serialProblem !== undefined) return serialProblem;
  // Upper case only: the ACL matches topics byte for byte, and VINs are stored upper-cased.
  if (!isValidVin(device.vin) || device.vin !== device.vin.toUpperCase()) return 'VIN is not an upper-case VIN';
  if (!isMosquittoPasswordHash(device.credentialHash)) return 'credential hash is not in Mosquitto $7$ format';
  return undefined;
}
