import { ExpiringCache } from './expiring-cache.js';

describe(ExpiringCache.name, () => {
  let now = 0;
  const sut = () => new ExpiringCache<string, string | null>(1_000, 3, () => now);

  beforeEach(() => {
    now = 0;
  });

  it('answers a value (a cached null included) until its lifetime ends, then nothing', () => {
    const cache = sut();
    cache.set('a', 'x');
    cache.set('b', null);
    now = 999;
    expect(cache.get('a')).toBe('x');
    expect(cache.get('b')).toBeNull();
    now = 1_000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeUndefined();
  });

  it('forgets a deleted key at once', () => {
    const cache = sut();
    cache.set('a', 'x');
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
  });

  it('stays within its bound: expired entries go first, and a full cache of fresh ones starts over', () => {
    const cache = sut();
    cache.set('old', 'x');
    now = 1_500;
    cache.set('b', 'x');
    cache.set('c', 'x');
    cache.set('d', 'x'); // full: 'old' has expired and makes room
    expect([cache.get('b'), cache.get('c'), cache.get('d')]).toEqual(['x', 'x', 'x']);
    cache.set('e', 'x'); // full of fresh entries: cleared, never a stale answer
    expect([cache.get('b'), cache.get('e')]).toEqual([undefined, 'x']);
  });
});
