import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';

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

/** Opens `GET /api/v1/me/events` of a listening app as `token`'s user. */
export function openEventStream(app: INestApplication, token: string): Promise<SseReader> {
  const { port } = app.getHttpServer().address() as AddressInfo;
  return new Promise((resolve, reject) => {
    get(
      { host: '127.0.0.1', port, path: '/api/v1/me/events', headers: { Accept: 'text/event-stream', Authorization: `Bearer ${token}` } },
      (response) => resolve(new SseReader(response)),
    ).on('error', reject);
  });
}

/** A frame's `data:` line, parsed (null when it has none). */
export function frameData(frame: string): unknown {
  const line = frame.split('\n').find((candidate) => candidate.startsWith('data: '));
  return line === undefined ? null : JSON.parse(line.slice('data: '.length));
}
