import { Injectable } from '@nestjs/common';
import { type Component, type Prediction, type PredictionSnapshot, PrismaService } from '#app/database';
import type { VehicleInScope } from '../common/vehicle-scope.model.js';
import type { ComponentHealthView, HealthSnapshotView } from './vehicle-health.model.js';

export interface ScoringState {
  telemetryVersion: bigint;
  scoredVersion: bigint;
  lastScoredAt: Date | null;
}

export interface SnapshotFilter {
  component?: Component;
  from?: Date;
  to?: Date;
  limit: number;
  /** Each snapshot's evidence too: kilobytes each, two thirds of a page, and no list or chart draws it. */
  withEvidence: boolean;
}

/** Reads of one vehicle's predictions. Takes a VehicleInScope, so the tenant check happened before. */
@Injectable()
export class PredictionRepository {
  constructor(private readonly prisma: PrismaService) {}

  async scoringState(vehicle: VehicleInScope): Promise<ScoringState> {
    return this.prisma.vehicle.findUniqueOrThrow({
      where: { id: vehicle.id },
      select: { telemetryVersion: true, scoredVersion: true, lastScoredAt: true },
    });
  }

  async current(vehicle: VehicleInScope): Promise<ComponentHealthView[]> {
    const rows = await this.prisma.prediction.findMany({ where: { vehicleId: vehicle.id } });
    return rows.map(toComponentView);
  }

  /** Newest first; `limit + 1` rows so the caller can tell truncation. */
  async snapshots(vehicle: VehicleInScope, filter: SnapshotFilter): Promise<HealthSnapshotView[]> {
    const rows = await this.prisma.predictionSnapshot.findMany({
      where: {
        vehicleId: vehicle.id,
        ...(filter.component === undefined ? {} : { component: filter.component }),
        ...(filter.from === undefined && filter.to === undefined
          ? {}
          : {
              scoredAt: {
                ...(filter.from === undefined ? {} : { gte: filter.from }),
                ...(filter.to === undefined ? {} : { lt: filter.to }),
              },
            }),
      },
      orderBy: [{ scoredAt: 'desc' }, { id: 'desc' }],
      take: filter.limit + 1,
      // Left in Postgres unless asked for: 1.0 KB stored (2.4 KB of JSON) per snapshot, 260 KB for a page of 100.
      omit: { evidence: !filter.withEvidence },
    });
    return rows.map(toSnapshotView);
  }
}

function toSnapshotView(row: Omit<PredictionSnapshot, 'evidence'> & { evidence?: PredictionSnapshot['evidence'] }): HealthSnapshotView {
  const { evidence, ...view } = toComponentView({ ...row, evidence: row.evidence ?? null });
  return { id: row.id.toString(), ...view, ...(row.evidence === undefined ? {} : { evidence }) };
}

export function toComponentView(row: Prediction | PredictionSnapshot): ComponentHealthView {
  return {
    component: row.component,
    health: row.health,
    risk: row.risk,
    dueAt: row.dueAt?.toISOString() ?? null,
    dueOdometerKm: row.dueOdometerKm,
    confidence: row.confidence,
    evidence: row.evidence,
    findings: row.findings,
    explanation: row.explanation,
    modelVersion: row.modelVersion,
    scoredAt: row.scoredAt.toISOString(),
  };
}
