import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../support/project-root.js';

/** What the simulator's closing line says it had acknowledged (PUBACK) by the broker. */
export interface SimulatorSummary {
  messages: number;
  samples: number;
  errors: number;
}

/**
 * Reads `sim: done in 300.2 s: 1,000 vehicles, 30,000 messages (30,000 samples), 100 msg/s average, 0 errors, 0 reconnects`
 * (apps/simulator/src/publish/progress.reporter.ts). Its counts only grow on PUBACK, so `samples` is what the
 * platform promised to keep.
 */
export function parseSimulatorSummary(output: string): SimulatorSummary | undefined {
  const match = /sim: done in [\d.]+ s: [\d,]+ vehicles, ([\d,]+) messages \(([\d,]+) samples\), [\d,]+ msg\/s average, ([\d,]+) errors/.exec(output);
  if (match === null) return undefined;
  const count = (text: string | undefined): number => Number((text ?? '').replaceAll(',', ''));
  return { messages: count(match[1]), samples: count(match[2]), errors: count(match[3]) };
}

/** The simulator app (dist/apps/simulator) as its own process, publishing the fleet live for a while. */
export class SimulatorProcess {
  private output = '';
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    child.stderr?.on('data', (chunk: Buffer) => {
      // Only the tail matters (the closing summary); a long run must not hold every progress line.
      this.output = (this.output + chunk.toString()).slice(-20_000);
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(args: readonly string[], env: Record<string, string>): SimulatorProcess {
    const child = spawn(process.execPath, [join(projectRoot, 'dist/apps/simulator/src/main.js'), ...args], {
      env: { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return new SimulatorProcess(child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Waits for the run to end; rejects with its output when it ends without its summary. */
  async finished(): Promise<SimulatorSummary> {
    const code = await this.exited;
    const summary = parseSimulatorSummary(this.output);
    if (summary === undefined) throw new Error(`the simulator exited with ${String(code)} without its summary:\n${this.output.slice(-3000)}`);
    return summary;
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}
