import type { PublishStats } from './publish-stats.js';

const format = (value: number): string => Math.round(value).toLocaleString('en-US');

/** Prints `sim: 5 vehicles, 12,345 sent, 1,010 msg/s, 0 errors` every second, and a final summary. */
export class ProgressReporter {
  private timer: NodeJS.Timeout | undefined;
  private lastMessages = 0;
  private lastAt = Date.now();
  phase = '';

  constructor(
    private readonly stats: PublishStats,
    private readonly vehicles: number,
    private readonly write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {}

  start(): void {
    this.timer = setInterval(() => this.write(this.line()), 1000);
    this.timer.unref();
  }

  line(): string {
    const now = Date.now();
    const rate = ((this.stats.messages - this.lastMessages) * 1000) / Math.max(1, now - this.lastAt);
    this.lastMessages = this.stats.messages;
    this.lastAt = now;
    const phase = this.phase ? `, ${this.phase}` : '';
    return `sim: ${format(this.vehicles)} vehicles, ${format(this.stats.messages)} sent, ${format(rate)} msg/s, ${format(this.stats.errors)} errors${phase}`;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    const seconds = (Date.now() - this.stats.startedAt) / 1000;
    this.write(
      `sim: done in ${seconds.toFixed(1)} s: ${format(this.vehicles)} vehicles, ${format(this.stats.messages)} messages ` +
        `(${format(this.stats.samples)} samples), ${format(this.stats.messages / Math.max(seconds, 0.001))} msg/s average, ` +
        `${format(this.stats.errors)} errors, ${format(this.stats.reconnects)} reconnects`,
    );
  }
}
