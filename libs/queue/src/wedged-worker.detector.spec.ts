import { type WorkerObservation, WedgedWorkerDetector } from './wedged-worker.detector.js';

const PERIOD_MS = 30_000;
const CONCURRENCY = 4;

/** Feeds observations every 5 s from t = 0 and returns the verdicts' `wedged` flags. */
function run(observations: Omit<WorkerObservation, 'atMs'>[]): boolean[] {
  const detector = new WedgedWorkerDetector(PERIOD_MS, CONCURRENCY);
  return observations.map((observation, i) => detector.observe({ ...observation, atMs: i * 5_000 }).wedged);
}

const idleWithReadyJobs = { readyJobs: 12, jobsStarted: 40, running: 0 };

describe(WedgedWorkerDetector.name, () => {
  it('calls a worker wedged once jobs were ready, a slot free and none started for the whole period', () => {
    // t = 0 opens the streak; t = 30 s closes the period.
    expect(run(Array.from({ length: 8 }, () => idleWithReadyJobs))).toEqual([false, false, false, false, false, false, true, true]);
  });

  it('says for how long, how many jobs were ready and how many slots were busy', () => {
    const detector = new WedgedWorkerDetector(PERIOD_MS, CONCURRENCY);
    detector.observe({ atMs: 1_000, readyJobs: 3, jobsStarted: 7, running: 2 });
    expect(detector.observe({ atMs: 33_000, readyJobs: 5, jobsStarted: 7, running: 1 })).toEqual({
      wedged: true,
      forMs: 32_000,
      readyJobs: 5,
      running: 1,
    });
  });

  it('starts over when the worker starts a job', () => {
    const started = (jobsStarted: number) => ({ ...idleWithReadyJobs, jobsStarted });
    // A job started at t = 25 s: the period counts from there (wedged at 55 s, not at 30 s).
    const counts = [40, 40, 40, 40, 40, 41, 41, 41, 41, 41, 41, 41].map(started);
    expect(run(counts)).toEqual([false, false, false, false, false, false, false, false, false, false, false, true]);
  });

  it('starts over when no job is ready (an idle queue is not a wedge)', () => {
    // Nothing ready at t = 10 s: the period counts from t = 15 s (wedged at 45 s).
    const observations = [
      idleWithReadyJobs,
      idleWithReadyJobs,
      { ...idleWithReadyJobs, readyJobs: 0 },
      ...Array.from({ length: 7 }, () => idleWithReadyJobs),
    ];
    expect(run(observations)).toEqual([false, false, false, false, false, false, false, false, false, true]);
  });

  it('starts over when Redis does not answer: an outage or failover stops the worker too, and it gets the whole period after', () => {
    // No answer at t = 15 s: the period counts from t = 20 s (wedged at 50 s, not at 30 s).
    const observations = [idleWithReadyJobs, idleWithReadyJobs, idleWithReadyJobs, { ...idleWithReadyJobs, readyJobs: undefined }];
    const flags = run([...observations, ...Array.from({ length: 7 }, () => idleWithReadyJobs)]);
    expect(flags.indexOf(true)).toBe(10);
  });

  it('never calls a worker with every slot busy wedged (a long job holds its slot)', () => {
    expect(run(Array.from({ length: 20 }, () => ({ ...idleWithReadyJobs, running: CONCURRENCY })))).toEqual(Array.from({ length: 20 }, () => false));
  });

  it('never calls a worker that keeps starting jobs wedged, however long jobs stay ready (a backlog)', () => {
    const backlog = Array.from({ length: 20 }, (_, i) => ({ readyJobs: 500, jobsStarted: 40 + i, running: 2 }));
    expect(run(backlog)).toEqual(Array.from({ length: 20 }, () => false));
  });
});
