import type { Job, Worker } from 'bullmq';

/**
 * How long a stopping worker waits for its running jobs. Below pm2's kill_timeout and compose's
 * stop_grace_period (30 s), so the process ends by itself and says what it cut short.
 */
export const WORKER_CLOSE_GRACE_MS = 15_000;

/** The jobs a BullMQ worker is running now, for a shutdown that must say what it cut short. */
export class RunningJobs {
  private readonly running = new Map<string, { name: string; startedAt: number }>();
  private startedCount = 0;

  /** Wraps a processor: every job is in the list while it runs. */
  track<T>(job: Job, run: () => Promise<T>): Promise<T> {
    const key = job.id ?? `${job.name}:${Date.now()}`;
    this.running.set(key, { name: job.name, startedAt: Date.now() });
    this.startedCount += 1;
    return run().finally(() => this.running.delete(key));
  }

  /** Jobs started since the worker began, and running now (what WedgedWorkerWatch judges progress by). */
  progress(): { started: number; running: number } {
    return { started: this.startedCount, running: this.running.size };
  }

  /** Resolves true once nothing runs, false when `timeoutMs` passed first. */
  async drained(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.running.size > 0) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return true;
  }

  describe(nowMs = Date.now()): string {
    return [...this.running].map(([id, { name, startedAt }]) => `${name} ${id} (running ${Math.round((nowMs - startedAt) / 1000)} s)`).join(', ');
  }
}

/**
 * Closes a worker, waiting up to `graceMs` for its running jobs, then closes it without them. A job cut short
 * keeps its lock until the lock lapses; BullMQ's stalled check then hands it to a worker again, and every job
 * here is idempotent, so a bounded shutdown costs a late job, never a lost or doubled one. Without the bound a
 * job waiting on a peer that does not answer kept the process (and a test's afterAll) alive indefinitely.
 * (BullMQ's own close() waits without a bound, and a later close(true) only joins that wait: pause first,
 * wait ourselves, then close(true).)
 */
export async function closeWorkerWithin(worker: Worker, running: RunningJobs, graceMs: number, warn: (line: string) => void): Promise<void> {
  await worker.pause(true); // takes no new job; the running ones go on
  if (!(await running.drained(graceMs))) {
    warn(`${worker.name}: jobs still running after ${graceMs} ms, closing without them (they are retried): ${running.describe()}`);
  }
  await worker.close(true);
}
