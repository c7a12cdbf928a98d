import type pg from 'pg';

/**
 * How often the database's sessions wait for a lock while a phase runs (pg_stat_activity every `everyMs`): replicas
 * whose batches name the same cars queue for those cars' rows (each batch locks them in id order before writing).
 */
export class LockWaitSampler {
  private readonly counts: number[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(
    private readonly pool: pg.Pool,
    everyMs = 250,
  ) {
    this.loop = (async () => {
      while (this.running) {
        const { rows } = await this.pool.query<{ waiting: string }>(
          `SELECT count(*) FILTER (WHERE wait_event_type = 'Lock') AS waiting
             FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        this.counts.push(Number(rows[0]!.waiting));
        await new Promise((resolve) => setTimeout(resolve, everyMs));
      }
    })();
  }

  /** Mean sessions waiting for a lock, and the share of samples in which at least one was. */
  async stop(): Promise<string> {
    this.running = false;
    await this.loop;
    const n = this.counts.length;
    const mean = this.counts.reduce((sum, count) => sum + count, 0) / Math.max(n, 1);
    const some = this.counts.filter((count) => count > 0).length / Math.max(n, 1);
    return `lock waits: ${mean.toFixed(2)} sessions on average, some in ${(some * 100).toFixed(0)} % of ${String(n)} samples`;
  }
}
