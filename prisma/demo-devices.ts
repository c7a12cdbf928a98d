// The demo cars' devices: each demo vehicle gets one, so `npm start`'s simulated fleet logs in on the device
// listener the way real devices do. The secrets go to a file in the demo's state folder (never git).
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { generateDeviceSecret, hashMosquittoPassword, hashNatsPassword, verifyMosquittoPassword } from '#app/broker-auth';
import type { PrismaClient } from '#app/database';
import type { DeviceLogin, DeviceLoginsFile } from '../apps/simulator/src/publish/device-logins.reader.js';

/** The serial (MQTT username and client id) of a demo car's device. */
export function demoDeviceSerial(vin: string): string {
  return `demo-${vin}`;
}

export interface DemoDevicesOutcome {
  /** Devices whose secret in the file still works. */
  readonly kept: number;
  /** Devices created, or given a new secret (lost file, revoked device, another database). */
  readonly renewed: number;
}

/**
 * Idempotent: a device that is ACTIVE on its car and matches the secret in the file is left alone, so a second
 * `npm start` changes nothing. Anything else gets a fresh secret and is made ACTIVE: the demo fleet must always
 * be able to log in, and a revoked device's old secret must not come back.
 */
export async function provisionDemoDevices(
  prisma: PrismaClient,
  vehicles: readonly { readonly id: string; readonly vin: string }[],
  file: string,
  endpoint: DeviceLoginsFile['mqtt'],
): Promise<DemoDevicesOutcome> {
  const known = await readKnownSecrets(file);
  const logins: DeviceLogin[] = [];
  let kept = 0;
  for (const vehicle of vehicles) {
    const serial = demoDeviceSerial(vehicle.vin);
    const row = await prisma.device.findUnique({
      where: { serial },
      select: { vehicleId: true, status: true, credentialHash: true, natsCredentialHash: true },
    });
    const secret = known.get(serial);
    if (row?.status === 'ACTIVE' && row.vehicleId === vehicle.id && secret !== undefined && verifyMosquittoPassword(secret, row.credentialHash)) {
      // A device provisioned before the NATS tier has no bcrypt copy: add it, so `npm run cluster` can log it in too.
      if (row.natsCredentialHash === null) {
        await prisma.device.update({ where: { serial }, data: { natsCredentialHash: await hashNatsPassword(secret) } });
      }
      logins.push({ vin: vehicle.vin, serial, password: secret });
      kept += 1;
      continue;
    }
    const password = generateDeviceSecret();
    const credentialHash = hashMosquittoPassword(password);
    // Both copies, as provisioning stores them: $7$ for Mosquitto, bcrypt for the NATS broker tier.
    const natsCredentialHash = await hashNatsPassword(password);
    await prisma.device.upsert({
      where: { serial },
      create: { serial, vehicleId: vehicle.id, credentialHash, natsCredentialHash },
      update: { vehicleId: vehicle.id, credentialHash, natsCredentialHash, status: 'ACTIVE' },
    });
    logins.push({ vin: vehicle.vin, serial, password });
  }
  const content: DeviceLoginsFile = { mqtt: endpoint, devices: logins };
  // Temp file + rename: a simulator starting meanwhile never reads half a file.
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, file);
  return { kept, renewed: vehicles.length - kept };
}

/** serial -> secret from a previous run's file; a missing or damaged file just means new secrets. */
async function readKnownSecrets(file: string): Promise<Map<string, string>> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<DeviceLoginsFile>;
    return new Map((parsed.devices ?? []).map((device) => [device.serial, device.password]));
  } catch {
    return new Map();
  }
}
