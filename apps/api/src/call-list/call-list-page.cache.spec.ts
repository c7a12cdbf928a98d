import type { AppConfig } from '#app/config';
import { CallListPageCache } from './call-list-page.cache.js';

const TTL_MS = 2_000;
const CENTER = '11111111-1111-4111-8111-111111111111';
const OTHER_CENTER = '22222222-2222-4222-8222-222222222222';

function cacheWith(ttlMs = TTL_MS): CallListPageCache {
  // Only api.callListPageTtlMs is read.
  return new CallListPageCache({ api: { callListPageTtlMs: ttlMs } } as AppConfig);
}

/** A page computation that answers when told to, counting its calls. */
function deferredPages() {
  const calls: { key: string; resolve: (text: string) => void }[] = [];
  const compute = (key: string) => () => new Promise<string>((resolve) => calls.push({ key, resolve }));
  return { calls, compute };
}

describe(CallListPageCache.name, () => {
  let now = 0;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
  });

  it('answers a page from the cache until its TTL has passed since it was read, then reads it again', async () => {
    const sut = cacheWith();
    let reads = 0;
    const compute = () => Promise.resolve(`page ${String((reads += 1))}`);

    expect(await sut.get(CENTER, 'SOON due 100', compute, clock)).toBe('page 1');
    now += TTL_MS - 1;
    expect(await sut.get(CENTER, 'SOON due 100', compute, clock)).toBe('page 1');
    now += 1;
    expect(await sut.get(CENTER, 'SOON due 100', compute, clock)).toBe('page 2');
  });

  it('never answers one center with another center’s page, nor one query with another’s', async () => {
    const sut = cacheWith();
    await sut.get(CENTER, 'SOON due 100', () => Promise.resolve('home SOON'), clock);

    expect(await sut.get(OTHER_CENTER, 'SOON due 100', () => Promise.resolve('other SOON'), clock)).toBe('other SOON');
    expect(await sut.get(CENTER, 'URGENT due 100', () => Promise.resolve('home URGENT'), clock)).toBe('home URGENT');
    expect(await sut.get(CENTER, 'SOON handled 100', () => Promise.resolve('home handled'), clock)).toBe('home handled');
    expect(await sut.get(CENTER, 'SOON due 100', () => Promise.resolve('not read'), clock)).toBe('home SOON');
  });

  it('shares one computation between concurrent misses of a page', async () => {
    const sut = cacheWith();
    const pages = deferredPages();
    const answers = Promise.all([1, 2, 3].map(() => sut.get(CENTER, 'q', pages.compute('q'), clock)));

    expect(pages.calls).toHaveLength(1);
    pages.calls[0]?.resolve('page');
    expect(await answers).toEqual(['page', 'page', 'page']);
  });

  it('reads a center again after invalidate(), and does not keep a page whose read began before it', async () => {
    const sut = cacheWith();
    await sut.get(CENTER, 'q', () => Promise.resolve('before the call'), clock);
    await sut.get(OTHER_CENTER, 'q', () => Promise.resolve('other center'), clock);
    const pages = deferredPages();
    const inFlight = sut.get(CENTER, 'r', pages.compute('r'), clock);

    sut.invalidate(CENTER);
    pages.calls[0]?.resolve('read before the call');

    expect(await inFlight).toBe('read before the call');
    expect(await sut.get(CENTER, 'q', () => Promise.resolve('after the call'), clock)).toBe('after the call');
    expect(await sut.get(CENTER, 'r', () => Promise.resolve('r after the call'), clock)).toBe('r after the call');
    expect(await sut.get(OTHER_CENTER, 'q', () => Promise.resolve('not read'), clock)).toBe('other center');
  });

  it('does not keep a failed read: the next request reads again', async () => {
    const sut = cacheWith();
    await expect(sut.get(CENTER, 'q', () => Promise.reject(new Error('database away')), clock)).rejects.toThrow('database away');

    expect(await sut.get(CENTER, 'q', () => Promise.resolve('page'), clock)).toBe('page');
  });

  it('reads every request when its TTL is 0', async () => {
    const sut = cacheWith(0);
    let reads = 0;
    const compute = () => Promise.resolve(String((reads += 1)));
    await sut.get(CENTER, 'q', compute, clock);
    await sut.get(CENTER, 'q', compute, clock);

    expect(reads).toBe(2);
  });
});
