import mqtt, { type MqttClient } from 'mqtt';
import type { PrismaClient } from '#app/database';
import type { FleetFixture } from '../../support/fixtures.js';
import { sampleFor } from '../../support/fixtures.js';

/** One sample's identity: the vehicle's index in the fleet and its seq. */
const keyOf = (vehicleIndex: number, seq: number): string => `${vehicleIndex}:${seq}`;

/**
 * Cars publishing at a steady rate through whatever happens to the broker, the way devices do: QoS 1, clean
 * session, reconnecting every `reconnectMs`; mqtt.js keeps unacknowledged publishes and sends them again on
 * reconnect. Records which samples the broker acknowledged (PUBACK): the samples the platform promised to keep.
 */
export class TelemetryStream {
  readonly acknowledged = new Set<string>();
  published = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt = Date.now();

  private constructor(
    private readonly client: MqttClient,
    private readonly fleet: FleetFixture,
    private readonly firstSampleAt: number,
  ) {}

  static async start(url: string, clientId: string, fleet: FleetFixture, perSecond: number, reconnectMs = 500): Promise<TelemetryStream> {
    const client = await mqtt.connectAsync(url, { clientId, clean: true, protocolVersion: 4, reconnectPeriod: reconnectMs });
    // Sample times go back from now so that none is ever "in the future" for the pipeline's clock check.
    const stream = new TelemetryStream(client, fleet, Date.now() - 3_600_000);
    stream.timer = setInterval(() => {
      // Catch up on ticks the event loop delayed, so the offered rate holds.
      const due = ((Date.now() - stream.startedAt) / 1000) * perSecond;
      while (stream.published < due) stream.publishNext();
    }, 10);
    return stream;
  }

  private publishNext(): void {
    const i = this.published;
    this.published += 1;
    const vehicleIndex = i % this.fleet.vehicles.length;
    const seq = Math.floor(i / this.fleet.vehicles.length) + 1;
    const vehicle = this.fleet.vehicles[vehicleIndex]!;
    const payload = JSON.stringify(sampleFor(seq, new Date(this.firstSampleAt + i * 10)));
    this.client.publish(`vehicles/${vehicle.vin}/telemetry`, payload, { qos: 1 }, (error) => {
      if (!error) this.acknowledged.add(keyOf(vehicleIndex, seq));
    });
  }

  /** Stops publishing and waits (up to `timeoutMs`) for the broker to acknowledge what was sent. */
  async stop(timeoutMs = 15_000): Promise<void> {
    clearInterval(this.timer);
    const deadline = Date.now() + timeoutMs;
    while (this.acknowledged.size < this.published && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await this.client.endAsync(true);
  }
}

export interface StoredCount {
  rows: number;
  distinct: number;
  /** Acknowledged samples that are not stored. */
  lost: number;
}

/** What the platform stored of the fleet's samples, against what the broker acknowledged. */
export async function countAgainst(prisma: PrismaClient, fleet: FleetFixture, acknowledged: ReadonlySet<string>): Promise<StoredCount> {
  const ids = fleet.vehicles.map((v) => v.id);
  const rows = await prisma.$queryRaw<{ vehicleId: string; seq: bigint }[]>`
    SELECT "vehicleId", seq FROM telemetry_samples WHERE "vehicleId" = ANY(${ids}::uuid[])`;
  const indexOf = new Map(ids.map((id, index) => [id, index]));
  const stored = new Set(rows.map((row) => keyOf(indexOf.get(row.vehicleId)!, Number(row.seq))));
  let lost = 0;
  for (const key of acknowledged) if (!stored.has(key)) lost += 1;
  return { rows: rows.length, distinct: stored.size, lost };
}

/** Polls until every acknowledged sample is stored (or the time is up); returns the last count and when it got there. */
export async function waitUntilStored(
  prisma: PrismaClient,
  fleet: FleetFixture,
  acknowledged: ReadonlySet<string>,
  timeoutMs: number,
): Promise<StoredCount & { at: number }> {
  const deadline = Date.now() + timeoutMs;
  let count = await countAgainst(prisma, fleet, acknowledged);
  while (count.lost > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    count = await countAgainst(prisma, fleet, acknowledged);
  }
  return { ...count, at: Date.now() };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
