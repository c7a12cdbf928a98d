// An owner's webhook endpoint for tests: it verifies every request with the published verifier and
// answers with a scripted sequence of statuses, like a receiver that is briefly down.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature, type WebhookBody } from '#app/notifications';
import { AnswerGate } from './answer-gate.js';

export interface WebhookRequest {
  deliveryId: string | undefined;
  verified: boolean;
  status: number;
  rawBody: string;
}

export type ScriptedAnswer = number | { status: number; headers: Record<string, string> };

export class LocalWebhookReceiver {
  readonly requests: WebhookRequest[] = [];
  /** Bodies handled once each: a redelivery of a handled delivery id is acknowledged and dropped. */
  readonly processed: WebhookBody[] = [];
  /** Hold answers of handled requests (the receiver has already processed them). */
  readonly answers = new AnswerGate();
  private readonly seen = new Set<string>();
  private server: Server | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  url = '';

  constructor(
    private readonly secret: string,
    /** Answers for the next requests, in order (a status, or a status with headers); 200 once the script runs out. */
    private readonly script: ScriptedAnswer[] = [],
    private readonly delayMs = 0,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(async ({ status, headers }) => {
        await this.answers.pass();
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          res.writeHead(status, headers).end();
        }, this.delayMs);
        this.timers.add(timer);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/carhealth`;
  }

  async stop(): Promise<void> {
    this.answers.release();
    for (const timer of this.timers) clearTimeout(timer);
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; headers: Record<string, string> }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    const deliveryId = header('x-carhealth-delivery');
    const verified = verifyWebhookSignature(this.secret, rawBody, header('x-carhealth-timestamp'), header('x-carhealth-signature'), new Date());
    let status = 401;
    let headers: Record<string, string> = {};
    if (verified) {
      const answer = this.script.shift() ?? 200;
      ({ status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer);
    }
    if (status === 200 && deliveryId !== undefined && !this.seen.has(deliveryId)) {
      this.seen.add(deliveryId);
      this.processed.push(JSON.parse(rawBody) as WebhookBody);
    }
    this.requests.push({ deliveryId, verified, status, rawBody });
    return { status, headers };
  }
}
