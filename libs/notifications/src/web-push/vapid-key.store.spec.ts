import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VapidKeyFileError } from './vapid-key-file.error.js';
import { VapidKeyStore } from './vapid-key.store.js';

describe(VapidKeyStore.name, () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vapid-store-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('generates a P-256 key pair on first use and saves it readable by the owner only', async () => {
    const path = join(dir, 'secrets', 'vapid.json');
    const sut = new VapidKeyStore(path);

    const keys = await sut.load();

    expect(Buffer.from(keys.publicKey, 'base64url')).toHaveLength(65);
    expect(Buffer.from(keys.privateKey, 'base64url')).toHaveLength(32);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(keys);
  });

  it('returns the same keys on every later load, in this process or another', async () => {
    const path = join(dir, 'vapid.json');
    const first = await new VapidKeyStore(path).load();

    const [a, b] = await Promise.all([new VapidKeyStore(path).load(), new VapidKeyStore(path).load()]);

    expect(a).toEqual(first);
    expect(b).toEqual(first);
  });

  it('agrees on one pair when two processes create the file at once', async () => {
    const path = join(dir, 'vapid.json');

    const loaded = await Promise.all([1, 2, 3].map(() => new VapidKeyStore(path).load()));

    expect(new Set(loaded.map((k) => k.publicKey)).size).toBe(1);
    expect(await readdir(dir)).toEqual(['vapid.json']);
  });

  it('refuses a damaged file instead of replacing the keys', async () => {
    const path = join(dir, 'vapid.json');
    await writeFile(path, '{"publicKey":"short"}');

    await expect(new VapidKeyStore(path).load()).rejects.toThrow(VapidKeyFileError);
    expect(await readFile(path, 'utf8')).toBe('{"publicKey":"short"}');
  });
});
