import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type WorkerConfig } from '#app/config';
import { PrismaService } from '#app/database';
import { type JobOutcome, ScoringProducer } from '#app/queue';

const RECONCILE_BATCH = 1000;

/**
 * Postgres, not Redis, decides what needs scoring: every vehicle whose stored telemetry is newer than
 * its last score gets a job, so a job lost with Redis (or never enqueued) is only late, never missing.
 * It keeps the routine cadence: a vehicle is due SCORING_INTERVAL_MS after its last score (at once if it
 * was never scored), and only vehicles due before the next pass are asked for, each with its remaining wait.
 * A job already waiting for later (ingestion's routine one, 10 min out) is brought forward, not kept.
 */
@Injectable()
export class ScoreReconcilerService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly scoring: ScoringProducer,
    @Inject(APP_CONFIG) private readonly config: WorkerConfig,
  ) {}

  async reconcile(now: Date = new Date()): Promise<JobOutcome> {
    const { intervalMs, reconcileIntervalMs } = this.config.scoring;
    const lastScoredBefore = new Date(now.getTime() - intervalMs + reconcileIntervalMs);
    let requested = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const stale = await this.prisma.$queryRaw<{ id: string; lastScoredAt: Date | null }[]>`
        SELECT id, "lastScoredAt" FROM vehicles
        WHERE "scoredVersion" < "telemetryVersion" AND id > ${after}::uuid
          AND ("lastScoredAt" IS NULL OR "lastScoredAt" <= ${lastScoredBefore})
        ORDER BY id LIMIT ${RECONCILE_BATCH}`;
      if (stale.length === 0) break;
      await this.scoring.requestEach(
        stale.map((row) => ({
          vehicleId: row.id,
          delayMs: row.lastScoredAt === null ? 0 : Math.max(0, row.lastScoredAt.getTime() + intervalMs - now.getTime()),
        })),
        'reconcile',
      );
      requested += stale.length;
      after = stale[stale.length - 1].id;
    }
    return { status: 'done', detail: `${requested} vehicle(s) behind their telemetry and due` };
  }
}
