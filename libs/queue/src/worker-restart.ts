/** The exit code of a process that ended itself to be started again (EX_TEMPFAIL: try again later). */
export const RESTART_EXIT_CODE = 75;

/**
 * How long the graceful shutdown a restart starts may take before the process exits anyway: a wedged worker's close
 * can wait forever on the connection that wedged it. Below pm2's kill_timeout and compose's stop grace (30 s).
 */
export const RESTART_HARD_EXIT_MS = 5_000;

let requested = false;

/**
 * Ends this process so that its supervisor (pm2 under `npm start` and `npm run cluster`, compose's
 * `restart: unless-stopped`, Kubernetes) starts a fresh one: new connections, a new worker. The way out of a state
 * the process cannot repair from inside, such as a BullMQ worker whose connection never answers again
 * (WedgedWorkerWatch). SIGTERM runs the app's usual graceful shutdown (running jobs get their grace, the rest are
 * retried: every job here is idempotent); whatever is still running after `hardExitAfterMs` is cut short.
 * Once per process: a second request while one is under way changes nothing.
 */
export function restartProcess(reason: string, log: (line: string) => void, hardExitAfterMs = RESTART_HARD_EXIT_MS): void {
  if (requested) return;
  requested = true;
  log(`restarting this process (its supervisor starts it again): ${reason}`);
  setTimeout(() => process.exit(RESTART_EXIT_CODE), hardExitAfterMs).unref();
  process.kill(process.pid, 'SIGTERM');
}
