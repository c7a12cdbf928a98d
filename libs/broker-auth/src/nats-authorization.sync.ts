import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PrismaClient } from '#app/database';
import { replaceFile } from './broker-credentials.writer.js';
import { renderNatsAuthorization } from './nats-authorization.js';

/** The platform's user, as scripts/nats-cluster.sh creates it. */
export const NATS_PLATFORM_USER = 'carhealth';

export interface NatsSyncOutcome {
  readonly devices: number;
  readonly skipped: readonly { readonly serial: string; readonly reason: string }[];
}

/**
 * Writes `<dir>/auth.conf` of a cluster started by scripts/nats-cluster.sh from the ACTIVE devices in Postgres,
 * keeping the platform's user (its password in `<dir>/internal-password`). The nodes re-read it on SIGHUP
 * (`scripts/nats-cluster.sh reload`, or `sync`, which runs this and then reloads).
 */
export async function syncNatsAuthorization(prisma: PrismaClient, clusterDir: string): Promise<NatsSyncOutcome> {
  const password = (await readFile(join(clusterDir, 'internal-password'), 'utf8')).trim();
  const rows = await prisma.device.findMany({
    where: { status: 'ACTIVE' },
    select: { serial: true, natsCredentialHash: true, vehicle: { select: { vin: true } } },
  });
  const rendered = renderNatsAuthorization(
    { user: NATS_PLATFORM_USER, password },
    rows.map((row) => ({ serial: row.serial, vin: row.vehicle.vin, natsCredentialHash: row.natsCredentialHash })),
  );
  await replaceFile(join(clusterDir, 'auth.conf'), rendered.config);
  return { devices: rows.length - rendered.skipped.length, skipped: rendered.skipped };
}
