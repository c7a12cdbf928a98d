import { Injectable } from '@nestjs/common';
import { PrismaService } from '#app/database';
import { type JobOutcome, ScoringProducer } from '#app/queue';

const RECONCILE_BATCH = 1000;

/**
 * Postgres, not Redis, decides what needs scoring: every vehicle whose stored telemetry is newer than
 * its last score gets a job, so a job lost with Redis (or never enqueued) is only late, never missing.
 */
@Injectable()
export class ScoreReconcilerService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly scoring: ScoringProducer,
  ) {}

  async reconcile(): Promise<JobOutcome> {
    let requested = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const stale = await this.prisma.$queryRaw<{ id: string }[]>`
        SELECT id FROM vehicles
        WHERE "scoredVersion" < "telemetryVersion" AND id > ${after}::uuid
        ORDER BY id LIMIT ${RECONCILE_BATCH}`;
      if (stale.length === 0) break;
      await this.scoring.requestScores(
        stale.map((row) => row.id),
        'reconcile',
        0,
      );
      requested += stale.length;
      after = stale[stale.length - 1]!.id;
    }
    return { status: 'done', detail: `${requested} vehicle(s) behind their telemetry` };
  }
}
