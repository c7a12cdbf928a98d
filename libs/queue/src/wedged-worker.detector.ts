/** What a consumer's watch sees at one check. */
export interface WorkerObservation {
  atMs: number;
  /**
   * Jobs on the queue a worker could take now (waiting, prioritized, delayed and due), read on the watch's own
   * connection; undefined when Redis did not answer the read in time.
   */
  readyJobs: number | undefined;
  /** Jobs this worker has started since it began (it only grows). */
  jobsStarted: number;
  /** Jobs this worker is running now. */
  running: number;
}

export type WedgeVerdict = { wedged: false } | { wedged: true; forMs: number; readyJobs: number; running: number };

/**
 * Decides from successive observations whether a BullMQ worker has stopped taking jobs while it could: jobs were
 * ready at every check, it had a free slot at every check, and it started none, for `wedgedAfterMs`. Anything else
 * starts over: a check Redis did not answer (an outage or a failover: the worker cannot take jobs either, and gets
 * the whole period again once Redis answers), no ready job, every slot busy (a long job is not a wedge), or a job
 * started. Pure: the watch feeds it and acts on its verdict.
 *
 * Why it exists: BullMQ's worker can stay running while its connection never answers again (a socket to a host
 * that went away without closing it; upstream reports of workers that stop taking jobs after a cluster failover,
 * taskforcesh/bullmq #4138 and #3088). isRunning() stays true, nothing is logged, and every score waits: the
 * "stops silently" this detector turns into a logged restart.
 */
export class WedgedWorkerDetector {
  private streak: { sinceMs: number; jobsStarted: number } | undefined;

  constructor(
    private readonly wedgedAfterMs: number,
    private readonly concurrency: number,
  ) {}

  observe(observation: WorkerObservation): WedgeVerdict {
    const { atMs, readyJobs, jobsStarted, running } = observation;
    const couldTake = readyJobs !== undefined && readyJobs > 0 && running < this.concurrency;
    if (!couldTake || this.streak === undefined || jobsStarted !== this.streak.jobsStarted) {
      this.streak = couldTake ? { sinceMs: atMs, jobsStarted } : undefined;
      return { wedged: false };
    }
    const forMs = atMs - this.streak.sinceMs;
    return forMs >= this.wedgedAfterMs ? { wedged: true, forMs, readyJobs, running } : { wedged: false };
  }
}
