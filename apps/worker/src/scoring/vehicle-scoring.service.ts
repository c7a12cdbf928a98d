import { Injectable } from '@nestjs/common';
import { PrismaService } from '#app/database';
import type { JobOutcome } from '#app/queue';

/**
 * Scores one vehicle. The version counter read first is what gets recorded as scored: telemetry
 * committed while this runs carries a higher version and keeps the vehicle on the reconciler's list.
 */
@Injectable()
export class VehicleScoringService {
  constructor(private readonly prisma: PrismaService) {}

  async score(vehicleId: string, now: Date): Promise<JobOutcome> {
    const vehicle = await this.prisma.vehicle.findUnique({
      where: { id: vehicleId },
      select: { telemetryVersion: true },
    });
    if (!vehicle) return { status: 'skipped', reason: 'vehicle not found' };
    // The predictive models come with the maintenance engine; until then the worker records that it
    // saw the vehicle's data (and stores no made-up scores).
    const updated = await this.prisma.vehicle.updateMany({
      where: { id: vehicleId, scoredVersion: { lt: vehicle.telemetryVersion } },
      data: { scoredVersion: vehicle.telemetryVersion, lastScoredAt: now },
    });
    return updated.count === 1
      ? { status: 'done', detail: `seen through telemetry version ${vehicle.telemetryVersion}` }
      : { status: 'skipped', reason: 'already scored at this telemetry version' };
  }
}
