import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '#app/database';
import type { ComponentAssessment, ComponentName, SavedSummary } from '#app/maintenance';

export interface ScoredComponent {
  assessment: ComponentAssessment;
  state: unknown;
  /** An incremental model's folded summary of the closed segments; absent for a model that has none. */
  saved?: SavedSummary<unknown>;
}

/** What the last score left for a model: its state and, for an incremental model, its summary. */
export interface SavedModelState {
  state: unknown;
  saved: SavedSummary<unknown> | null;
}

/** A snapshot goes to the history when something an owner would notice changed, or once a day. */
const SNAPSHOT_EVERY_MS = 24 * 3_600_000;
const HEALTH_STEP = 5;
const DUE_STEP_MS = 24 * 3_600_000;

const json = (value: unknown): Prisma.InputJsonValue => JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;

const summaryFields = (saved: SavedSummary<unknown> | undefined) =>
  saved === undefined
    ? { summary: Prisma.DbNull, summaryVersion: null, closedUntil: null }
    : {
        summary: json(saved.summary),
        summaryVersion: saved.summaryVersion,
        closedUntil: saved.closedUntilMs === null ? null : new Date(saved.closedUntilMs),
      };

/**
 * Writes one vehicle's score in one transaction: current predictions, their history, model states and
 * the version of the telemetry they saw. Rerunning the same job rewrites the same rows (idempotent).
 */
@Injectable()
export class PredictionStore {
  constructor(private readonly prisma: PrismaService) {}

  async currentStates(vehicleId: string): Promise<Map<ComponentName, SavedModelState>> {
    const rows = await this.prisma.vehicleModelState.findMany({ where: { vehicleId } });
    return new Map(
      rows.map((row) => {
        const saved =
          row.summary === null || row.summaryVersion === null
            ? null
            : { summaryVersion: row.summaryVersion, closedUntilMs: row.closedUntil?.getTime() ?? null, summary: row.summary as unknown };
        return [row.component, { state: row.state, saved }];
      }),
    );
  }

  async save(vehicleId: string, scored: ScoredComponent[], scoredAt: Date): Promise<void> {
    const previous = new Map((await this.prisma.prediction.findMany({ where: { vehicleId } })).map((row) => [row.component, row]));
    const lastSnapshots = new Map(
      (
        await this.prisma.predictionSnapshot.groupBy({
          by: ['component'],
          where: { vehicleId },
          _max: { scoredAt: true },
        })
      ).map((row) => [row.component, row._max.scoredAt]),
    );
    const writes: Prisma.PrismaPromise<unknown>[] = [];
    for (const { assessment, state, saved } of scored) {
      const component = assessment.component;
      const fields = {
        health: Math.round(assessment.health),
        risk: assessment.risk,
        dueAt: assessment.dueAt ?? null,
        dueOdometerKm: assessment.dueOdometerKm ?? null,
        confidence: json(assessment.confidence),
        evidence: json(assessment.evidence),
        findings: json(assessment.findings),
        explanation: assessment.explanation,
        modelVersion: assessment.modelVersion,
        scoredAt,
      };
      writes.push(
        this.prisma.prediction.upsert({
          where: { vehicleId_component: { vehicleId, component } },
          create: { vehicleId, component, ...fields },
          update: fields,
        }),
        this.prisma.vehicleModelState.upsert({
          where: { vehicleId_component: { vehicleId, component } },
          create: { vehicleId, component, state: json(state ?? {}), ...summaryFields(saved) },
          update: { state: json(state ?? {}), ...summaryFields(saved) },
        }),
      );
      const before = previous.get(component);
      const lastSnapshot = lastSnapshots.get(component);
      const changed =
        !before ||
        before.risk !== fields.risk ||
        Math.abs(before.health - fields.health) >= HEALTH_STEP ||
        Math.abs((before.dueAt?.getTime() ?? 0) - (fields.dueAt?.getTime() ?? 0)) >= DUE_STEP_MS ||
        !lastSnapshot ||
        scoredAt.getTime() - lastSnapshot.getTime() >= SNAPSHOT_EVERY_MS;
      if (changed) writes.push(this.prisma.predictionSnapshot.create({ data: { vehicleId, component, ...fields } }));
    }
    await this.prisma.$transaction(writes);
  }

  /**
   * Records that the vehicle is scored up to `telemetryVersion`: called last, once everything that follows from
   * the score (its reminders) is committed too. A worker that dies before this leaves the vehicle behind its
   * telemetry (or never scored), so the reconciler scores it again; scoring and reminders are idempotent.
   */
  async markScored(vehicleId: string, telemetryVersion: bigint, scoredAt: Date): Promise<void> {
    await this.prisma.$transaction([
      // Late samples up to this version are folded now; a newer batch may have brought another: keep it then.
      this.prisma.vehicle.updateMany({ where: { id: vehicleId, telemetryVersion }, data: { lateSampleTs: null } }),
      this.prisma.vehicle.updateMany({
        where: { id: vehicleId, scoredVersion: { lt: telemetryVersion } },
        data: { scoredVersion: telemetryVersion },
      }),
      this.prisma.vehicle.update({ where: { id: vehicleId }, data: { lastScoredAt: scoredAt } }),
    ]);
  }
}
