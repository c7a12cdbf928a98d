import { createECDH, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import webPush from 'web-push';
import {
  OutboundAllowList,
  OutboundTargetRefusedError,
  postOutbound,
  renderReminderMessage,
  WebhookChannel,
  WebPushChannel,
} from '#app/notifications';
import { reminderContent } from '../notifications/support/reminder.factory.js';

/** A peer on this machine that counts what reaches it: a refused target must never be connected to. */
class CountingPeer {
  hits = 0;
  private server: Server | undefined;
  port = 0;

  constructor(private readonly answer: { status: number; headers?: Record<string, string> } = { status: 200 }) {}

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.hits++;
      request.resume();
      response.writeHead(this.answer.status, this.answer.headers).end('ok');
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const LOCAL = OutboundAllowList.of(['127.0.0.1/32', '::1/128']);
const post = (url: string, allowList: OutboundAllowList) => postOutbound(url, { headers: {}, body: '{}', timeoutMs: 2000 }, allowList);

describe('owner-supplied URLs cannot reach private addresses (webhooks, web push)', () => {
  const peers: CountingPeer[] = [];
  const peer = async (answer?: ConstructorParameters<typeof CountingPeer>[0]) => {
    const started = await new CountingPeer(answer).start();
    peers.push(started);
    return started;
  };

  afterAll(async () => {
    await Promise.all(peers.map((p) => p.stop()));
  });

  it('refuses a local peer by address and by name (resolved at send time), without connecting; reaches it when listed', async () => {
    const target = await peer();
    for (const url of [`http://127.0.0.1:${target.port}/hook`, `https://127.0.0.1:${target.port}/hook`, `http://localhost:${target.port}/hook`]) {
      await expect(post(url, OutboundAllowList.none)).rejects.toBeInstanceOf(OutboundTargetRefusedError);
    }
    await expect(post(`https://localhost:${target.port}/hook`, OutboundAllowList.none)).rejects.toThrow(/localhost resolves to .*loopback/);
    expect(target.hits).toBe(0);

    expect((await post(`http://127.0.0.1:${target.port}/hook`, LOCAL)).status).toBe(200);
    expect(target.hits).toBe(1);
  });

  it('does not follow a redirect (to a metadata address or anywhere): the 3xx is the answer', async () => {
    const redirecting = await peer({ status: 302, headers: { Location: 'http://169.254.169.254/latest/meta-data/' } });
    const response = await post(`http://127.0.0.1:${redirecting.port}/hook`, LOCAL);
    expect(response.status).toBe(302);
    expect(redirecting.hits).toBe(1);
  });

  it('records the refusal as a final failure with its reason; the review list gets 0 requests out', async () => {
    const message = renderReminderMessage(reminderContent(), 'en');
    const webhook = new WebhookChannel({ timeoutMs: 2000 });
    const target = await peer();
    // The external review's targets (names it listed that do not resolve on this machine are left out).
    const reviewList = [
      `http://127.0.0.1:${target.port}/`,
      `https://0x7f000001:${target.port}/`,
      `https://127.1:${target.port}/`,
      `https://[::1]:${target.port}/`,
      `https://localhost:${target.port}/`,
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.1/',
      'https://192.168.1.1/',
      'https://[::ffff:a9fe:a9fe]/',
      'https://[fd00::1]/',
      'https://100.64.0.1/',
    ];
    const results = await Promise.all(reviewList.map((url) => webhook.send({ url, secret: 'whsec_0123456789abcdef', deliveryId: 'd-1' }, message)));
    const accepted = results.filter((result) => result.ok || result.retryable || !result.detail.startsWith('refused target: '));
    console.log(`[owner-url-forgery] private webhook targets: ${reviewList.length}, sent to: ${accepted.length}, peer hits: ${target.hits}`);
    expect(accepted).toEqual([]);
    expect(target.hits).toBe(0);
    expect(results[0]).toEqual({ ok: false, retryable: false, detail: 'refused target: 127.0.0.1 is a loopback address' });

    // A push endpoint is owner input too (the browser's subscription, sent by the owner's page).
    const vapid = webPush.generateVAPIDKeys();
    const push = new WebPushChannel({ vapid: { ...vapid, subject: 'mailto:ops@example.com' }, ttlSeconds: 60, timeoutMs: 2000 });
    const browserKey = createECDH('prime256v1');
    browserKey.generateKeys();
    const pushed = await push.send(
      {
        endpoint: `http://127.0.0.1:${target.port}/push/x`,
        p256dh: browserKey.getPublicKey('base64url'),
        auth: randomBytes(16).toString('base64url'),
      },
      message,
    );
    expect(pushed).toEqual({ ok: false, retryable: false, detail: 'refused target: 127.0.0.1 is a loopback address' });
    expect(target.hits).toBe(0);
  });
});
