import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from './project-root.js';

export type AppName = 'ingestion' | 'worker' | 'api';

/** The line each app logs once it is up. */
const READY_LINE: Record<AppName, string> = { ingestion: 'ingestion ready', worker: 'worker ready', api: 'listening on ' };

/**
 * A real app of the platform (dist/apps/<name>, built by scripts/test.sh) as a child process, so a test can
 * kill it the way an operating system would, or watch that it survives what it should.
 */
export class AppProcess {
  private child: ChildProcess | undefined;
  private output = '';

  constructor(
    private readonly app: AppName,
    private readonly env: Record<string, string>,
  ) {}

  /** `timeoutMs`: how long it may take to log its ready line (longer on a loaded machine). */
  async start(timeoutMs = 30_000): Promise<void> {
    this.output = '';
    const child = spawn(process.execPath, [join(projectRoot, `dist/apps/${this.app}/src/main.js`)], {
      env: { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes(READY_LINE[this.app])) {
      if (child.exitCode !== null) throw new Error(`${this.app} exited with ${child.exitCode}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`${this.app} did not start:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Sends the signal and waits for the process to exit; returns how it ended. With `killAfterMs`, a process
   * still there by then is SIGKILLed, as a supervisor would (pm2's kill_timeout, compose's stop_grace_period).
   */
  async stop(signal: NodeJS.Signals, killAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return { code: child?.exitCode ?? null, signal: child?.signalCode ?? null };
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, exitSignal) => resolve({ code, signal: exitSignal })),
    );
    child.kill(signal);
    if (killAfterMs !== undefined) {
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      void exited.finally(() => clearTimeout(timer));
    }
    return exited;
  }

  /** Still the process that was started: it neither exited nor was restarted. */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get log(): string {
    return this.output;
  }
}
