import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../support/test-env.js';

/** The real worker app (dist/apps/worker, built by scripts/test.sh) as a child process a test can SIGKILL. */
export class WorkerProcess {
  private child: ChildProcess | undefined;
  private output = '';

  constructor(private readonly env: Record<string, string>) {}

  async start(): Promise<void> {
    this.output = '';
    const child = spawn(process.execPath, [join(projectRoot, 'dist/apps/worker/src/main.js')], {
      env: { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    const deadline = Date.now() + 30_000;
    while (!this.output.includes('worker ready')) {
      if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`worker did not start:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  get log(): string {
    return this.output;
  }
}
