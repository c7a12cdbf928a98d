import type { IncomingMessage } from 'node:http';

/** Reads an SSE response frame by frame (blank-line separated). */
export class SseReader {
  private buffer = '';
  private waiters: { test: (frame: string) => boolean; resolve: (frame: string) => void }[] = [];
  readonly frames: string[] = [];

  constructor(readonly response: IncomingMessage) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        const frame = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        this.frames.push(frame);
        this.waiters = this.waiters.filter((w) => (w.test(frame) ? (w.resolve(frame), false) : true));
      }
    });
  }

  next(test: (frame: string) => boolean, timeoutMs = 5000): Promise<string> {
    const seen = this.frames.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame; got ${JSON.stringify(this.frames)}`)), timeoutMs);
      this.waiters.push({
        test,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      });
    });
  }
}
