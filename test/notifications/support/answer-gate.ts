/**
 * Lets a test peer take a request in (it counts as received: the phone shows it, the mailbox has it) and
 * keep the answer back until the test says so. A sender killed meanwhile has delivered without learning
 * it: the one case where at-least-once delivery must send again, made deterministic.
 */
export class AnswerGate {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  hold(): void {
    this.held = true;
  }

  /** Answers everything held (a dead sender's socket gets it, or nothing) and stops holding. */
  release(): void {
    this.held = false;
    this.waiting.splice(0).forEach((answer) => answer());
  }

  get holding(): number {
    return this.waiting.length;
  }

  /** Resolves at once unless the gate holds. */
  pass(): Promise<void> {
    if (!this.held) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}
