import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import webPush from 'web-push';
import { z } from 'zod';
import { VapidKeyFileError } from './vapid-key-file.error.js';
import type { VapidKeys } from './web-push.model.js';

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');
const vapidKeysSchema = z.object({ publicKey: base64url.length(87), privateKey: base64url.length(43) });

/** A fresh P-256 VAPID key pair, base64url (public: uncompressed point, private: 32-byte scalar). */
export function generateVapidKeys(): VapidKeys {
  const keys = webPush.generateVAPIDKeys();
  return { publicKey: keys.publicKey, privateKey: keys.privateKey };
}

/**
 * Keeps the VAPID key pair in a JSON file. Every subscription a browser makes is bound to the public
 * key, so the pair is generated once at set-up and then only read: new keys would orphan them all.
 */
export class VapidKeyStore {
  constructor(private readonly path: string) {}

  async load(): Promise<VapidKeys> {
    const existing = await this.read();
    if (existing !== undefined) return existing;
    const keys = generateVapidKeys();
    await mkdir(dirname(this.path), { recursive: true });
    // Written aside, then hard-linked into place: link() fails if the file exists and never exposes a
    // half-written file, so when two processes start together both end up with the winner's keys.
    const temporary = `${this.path}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      await link(temporary, this.path);
      return keys;
    } catch (error) {
      if (isErrno(error, 'EEXIST')) {
        const written = await this.read();
        if (written !== undefined) return written;
      }
      throw new VapidKeyFileError(this.path, describe(error));
    } finally {
      await unlink(temporary).catch(() => undefined);
    }
  }

  private async read(): Promise<VapidKeys | undefined> {
    let raw: string;
    try {
      raw = await readFile(this.path, 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return undefined;
      throw new VapidKeyFileError(this.path, describe(error));
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      throw new VapidKeyFileError(this.path, `not JSON: ${describe(error)}`);
    }
    const parsed = vapidKeysSchema.safeParse(json);
    if (!parsed.success) throw new VapidKeyFileError(this.path, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    return parsed.data;
  }
}

// Duck-typed rather than `instanceof Error`: errors thrown by Node built-ins can come from another
// realm (jest's VM contexts), where that check is false.
function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}

function describe(error: unknown): string {
  return typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
}
