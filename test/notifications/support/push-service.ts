// A local Web Push service (RFC 8030) for tests: it does what a browser vendor's push service and the
// browser do between them. It checks the VAPID authorization (RFC 8292) and decrypts the payload with
// the subscription's private key (RFC 8291 / RFC 8188), so a test sees exactly what a service worker would.
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, randomUUID, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnswerGate } from './answer-gate.js';

export interface BrowserSubscription {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface ReceivedPush {
  subscriptionId: string;
  plaintext: string;
  ttl: number;
  urgency: string | undefined;
  topic: string | undefined;
  vapid: { sub: string; aud: string; exp: number };
}

export interface RejectedPush {
  status: number;
  reason: string;
}

interface SubscriptionKeys {
  ecdh: ReturnType<typeof createECDH>;
  publicKey: Buffer;
  authSecret: Buffer;
  /** The VAPID public key the browser subscribed with (applicationServerKey); only it may push. */
  applicationServerKey: string | undefined;
  gone: boolean;
}

class PushRejection extends Error {
  constructor(
    readonly status: number,
    reason: string,
  ) {
    super(reason);
  }
}

const DAY_S = 24 * 3600;

export class LocalPushService {
  /** Every message the service accepted, in order (a re-sent message appears twice here). */
  readonly received: ReceivedPush[] = [];
  readonly rejected: RejectedPush[] = [];
  /** Hold the 201 of accepted messages (they are already on the phone). */
  readonly answers = new AnswerGate();
  private readonly subscriptions = new Map<string, SubscriptionKeys>();
  private server: Server | undefined;
  private origin = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.answers.release();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** What pushManager.subscribe() does in a browser: a fresh P-256 key pair and a 16-byte auth secret. */
  subscribe(applicationServerKey?: string): BrowserSubscription {
    const ecdh = createECDH('prime256v1');
    const publicKey = ecdh.generateKeys();
    const authSecret = randomBytes(16);
    const id = randomUUID();
    this.subscriptions.set(id, { ecdh, publicKey, authSecret, applicationServerKey, gone: false });
    return { id, endpoint: `${this.origin}/push/${id}`, p256dh: publicKey.toString('base64url'), auth: authSecret.toString('base64url') };
  }

  /**
   * What the phone shows for this subscription: the service worker calls showNotification(title, { tag }),
   * and a browser replaces a notification that has the same tag instead of adding one (Notifications API,
   * "replace" step). Messages without a tag are always shown anew.
   */
  shownNotifications(subscriptionId: string): { tag: string | undefined; title: string }[] {
    const shown = new Map<string, { tag: string | undefined; title: string }>();
    this.received
      .filter((push) => push.subscriptionId === subscriptionId)
      .forEach((push, index) => {
        const { tag, title } = JSON.parse(push.plaintext) as { tag?: string; title: string };
        shown.set(tag ?? `untagged ${index}`, { tag, title });
      });
    return [...shown.values()];
  }

  /** The user revoked permission or the subscription expired: the service answers 410 from now on. */
  expire(id: string): void {
    const keys = this.subscriptions.get(id);
    if (keys) keys.gone = true;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    try {
      const received = this.accept(req, body);
      this.received.push(received);
      await this.answers.pass();
      res.writeHead(201, { Location: `${this.origin}/message/${randomUUID()}` }).end();
    } catch (error) {
      const status = error instanceof PushRejection ? error.status : 500;
      const reason = error instanceof Error ? error.message : String(error);
      this.rejected.push({ status, reason });
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(reason);
    }
  }

  private accept(req: IncomingMessage, body: Buffer): ReceivedPush {
    const match = /^\/push\/([0-9a-f-]+)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || match === null) throw new PushRejection(404, 'no such endpoint');
    const keys = this.subscriptions.get(match[1]);
    if (keys === undefined) throw new PushRejection(404, 'unknown subscription');
    if (keys.gone) throw new PushRejection(410, 'subscription expired or unsubscribed');

    const vapid = this.verifyVapid(req.headers.authorization, keys);
    const ttl = Number(req.headers.ttl);
    if (req.headers.ttl === undefined || !Number.isInteger(ttl) || ttl < 0) throw new PushRejection(400, 'TTL header required');
    if (req.headers['content-encoding'] !== 'aes128gcm')
      throw new PushRejection(415, `content-encoding ${String(req.headers['content-encoding'])}, expected aes128gcm`);
    const plaintext = decryptAes128gcm(body, keys).toString('utf8');
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    return { subscriptionId: match[1], plaintext, ttl, urgency: header('urgency'), topic: header('topic'), vapid };
  }

  /** RFC 8292: `vapid t=<JWT signed ES256>, k=<application server public key>`. */
  private verifyVapid(authorization: string | undefined, keys: SubscriptionKeys): ReceivedPush['vapid'] {
    const match = /^vapid\s+t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
    if (match === null) throw new PushRejection(401, `missing or malformed VAPID authorization: ${String(authorization)}`);
    const [, jwt, k] = match;
    if (keys.applicationServerKey !== undefined && k !== keys.applicationServerKey) {
      throw new PushRejection(403, 'VAPID key does not match the key the subscription was created with');
    }
    const [headerB64, claimsB64, signatureB64] = jwt.split('.');
    if (signatureB64 === undefined) throw new PushRejection(401, 'JWT must have three parts');
    const header = JSON.parse(Buffer.from(headerB64, 'base64url').toString('utf8')) as { alg?: string; typ?: string };
    if (header.alg !== 'ES256') throw new PushRejection(401, `JWT alg ${String(header.alg)}, expected ES256`);

    const point = Buffer.from(k, 'base64url');
    if (point.length !== 65 || point[0] !== 0x04) throw new PushRejection(401, 'k is not an uncompressed P-256 point');
    const publicKey = createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
      format: 'jwk',
    });
    // JWS ES256 signatures are r||s (64 bytes), not DER: hence ieee-p1363.
    const valid = verify(
      'sha256',
      Buffer.from(`${headerB64}.${claimsB64}`),
      { key: publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signatureB64, 'base64url'),
    );
    if (!valid) throw new PushRejection(401, 'JWT signature does not verify against k');

    const claims = JSON.parse(Buffer.from(claimsB64, 'base64url').toString('utf8')) as { aud?: unknown; exp?: unknown; sub?: unknown };
    const now = Math.floor(Date.now() / 1000);
    if (claims.aud !== this.origin) throw new PushRejection(401, `aud ${String(claims.aud)} is not ${this.origin}`);
    if (typeof claims.exp !== 'number' || claims.exp <= now || claims.exp > now + DAY_S)
      throw new PushRejection(401, `exp ${String(claims.exp)} not within the next 24 h`);
    if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub))
      throw new PushRejection(401, `sub ${String(claims.sub)} is not mailto: or https:`);
    return { sub: claims.sub, aud: claims.aud, exp: claims.exp };
  }
}

/** RFC 8188 content coding with the RFC 8291 key derivation, as a browser decrypts a push message. */
function decryptAes128gcm(body: Buffer, keys: SubscriptionKeys): Buffer {
  if (body.length < 21) throw new PushRejection(400, 'body shorter than the aes128gcm header');
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20];
  const senderPublicKey = body.subarray(21, 21 + idLength);
  if (idLength !== 65) throw new PushRejection(400, `keyid must be the sender's 65-byte public key, is ${idLength} bytes`);
  const ciphertext = body.subarray(21 + idLength);

  // RFC 8291 3.3/3.4: IKM from the ECDH secret, keyed by the auth secret and bound to both public keys.
  const ecdhSecret = keys.ecdh.computeSecret(senderPublicKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), keys.publicKey, senderPublicKey]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, keys.authSecret, keyInfo, 32));
  // RFC 8188 2.2/2.3: content-encryption key and nonce from the salt.
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const baseNonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));

  const plaintexts: Buffer[] = [];
  const records = Math.ceil(ciphertext.length / recordSize);
  for (let i = 0; i < records; i++) {
    const record = ciphertext.subarray(i * recordSize, (i + 1) * recordSize);
    const nonce = Buffer.from(baseNonce);
    // The record sequence number is XORed into the end of the nonce (fewer than 2^32 records here).
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ i) >>> 0, 8);
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    let padded: Buffer;
    try {
      padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    } catch {
      throw new PushRejection(400, `record ${i} does not decrypt (wrong keys or tampered)`);
    }
    // Padding: the data, one delimiter byte (2 for the last record, 1 otherwise), then zeros.
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end--;
    const last = i === records - 1;
    if (end < 0 || padded[end] !== (last ? 2 : 1)) throw new PushRejection(400, `record ${i} has no valid padding delimiter`);
    plaintexts.push(padded.subarray(0, end));
  }
  return Buffer.concat(plaintexts);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
