import { readFile } from 'node:fs/promises';

/** One demo car's device: it logs in with username = client id = serial. */
export interface DeviceLogin {
  readonly vin: string;
  readonly serial: string;
  readonly password: string;
}

/**
 * The demo's device credentials file (`$CARHEALTH_STATE/demo-devices.json`, written by `node dist/prisma/seed.js
 * --demo-devices <file>`): where the device listener is and each demo car's login. It holds secrets, so it
 * lives in the state folder with mode 0600, never in git.
 */
export interface DeviceLoginsFile {
  readonly mqtt: { readonly host: string; readonly port: number };
  readonly devices: readonly DeviceLogin[];
}

/** Reads and checks the file; a damaged one throws, and the caller falls back to the internal listener. */
export async function readDeviceLogins(path: string): Promise<DeviceLoginsFile> {
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (!isRecord(parsed) || !isRecord(parsed.mqtt) || !Array.isArray(parsed.devices)) throw new Error(`${path}: not a device logins file`);
  const { host, port } = parsed.mqtt;
  if (typeof host !== 'string' || typeof port !== 'number' || !Number.isInteger(port)) throw new Error(`${path}: mqtt.host / mqtt.port missing`);
  const devices = parsed.devices.map((entry: unknown, index) => {
    if (!isRecord(entry) || typeof entry.vin !== 'string' || typeof entry.serial !== 'string' || typeof entry.password !== 'string') {
      throw new Error(`${path}: devices[${index}] needs vin, serial and password`);
    }
    return { vin: entry.vin, serial: entry.serial, password: entry.password };
  });
  return { mqtt: { host, port }, devices };
}

/** The login of each VIN, in order; throws naming the first VIN without one. */
export function loginsFor(file: DeviceLoginsFile, vins: readonly string[]): DeviceLogin[] {
  return vins.map((vin) => {
    const login = file.devices.find((device) => device.vin === vin);
    if (login === undefined) throw new Error(`no device login for ${vin}`);
    return login;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
