import { Logger } from '@nestjs/common';
import type { PrismaClient } from '#app/database';
import { renderBrokerCredentials } from './broker-credentials.renderer.js';
import { type BrokerFiles, type BrokerReload, BrokerCredentialsWriter } from './broker-credentials.writer.js';

export type BrokerSyncOutcome =
  { readonly managed: false } | { readonly managed: true; readonly devices: number; readonly skipped: number; readonly reload: BrokerReload };

/**
 * Renders the device listener's password and ACL files from the ACTIVE devices in Postgres (the source of
 * truth) and reloads the broker. Run at platform start and after every device change; running it again is
 * always safe, so a failed run is repaired by the next one.
 */
export class BrokerCredentialsSync {
  private readonly logger = new Logger('BrokerCredentialsSync');
  private readonly writer: BrokerCredentialsWriter | null;
  /** Syncs in this process run one after another, so the last one to finish wrote the newest rows. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly prisma: PrismaClient,
    files: BrokerFiles | null,
  ) {
    this.writer = files === null ? null : new BrokerCredentialsWriter(files);
    if (files === null) {
      this.logger.log('Device logins are managed by whoever runs the MQTT broker (MQTT_DEVICE_PASSWORD_FILE / MQTT_DEVICE_ACL_FILE not set)');
    }
  }

  sync(): Promise<BrokerSyncOutcome> {
    const run = this.tail.then(() => this.syncNow());
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async syncNow(): Promise<BrokerSyncOutcome> {
    const writer = this.writer;
    if (writer === null) return { managed: false };
    // The lock orders writers in other processes (API replicas, the start-up CLI) on the same database.
    const outcome = await this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('carhealth:broker-credentials'))`;
        const rows = await tx.device.findMany({
          where: { status: 'ACTIVE' },
          select: { serial: true, credentialHash: true, vehicle: { select: { vin: true } } },
        });
        const rendered = renderBrokerCredentials(
          rows.map((row) => ({ serial: row.serial, credentialHash: row.credentialHash, vin: row.vehicle.vin })),
        );
        for (const { serial, reason } of rendered.skipped) this.logger.warn(`Device ${serial} left out of the broker files: ${reason}`);
        const reload = await writer.write(rendered);
        return { managed: true as const, devices: rows.length - rendered.skipped.length, skipped: rendered.skipped.length, reload };
      },
      { timeout: 15_000 },
    );
    if (outcome.reload !== 'reloaded') this.logger.warn(`Broker credentials written for ${outcome.devices} devices; ${outcome.reload}`);
    return outcome;
  }
}
