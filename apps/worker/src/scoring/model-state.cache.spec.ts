import type { ComponentName } from '#app/maintenance';
import { ModelStateCache, type CachedModelRow } from './model-state.cache.js';

const row = (component: ComponentName, version: number): CachedModelRow => ({
  key: `${component}/${version}`,
  component,
  state: '{}',
  summary: null,
  summaryVersion: null,
  closedUntil: null,
});

describe(ModelStateCache.name, () => {
  it('holds the rows last read per vehicle, replacing the previous ones', () => {
    const sut = new ModelStateCache(2);
    sut.set('a', [row('TIRES', 1), row('BATTERY', 1)]);
    sut.set('a', [row('TIRES', 2)]);
    expect([...(sut.get('a')?.values() ?? [])]).toEqual([row('TIRES', 2)]);
  });

  it('drops the least recently read vehicle past its size', () => {
    const sut = new ModelStateCache(2);
    sut.set('a', [row('TIRES', 1)]);
    sut.set('b', [row('TIRES', 1)]);
    sut.set('a', [row('TIRES', 2)]);
    sut.set('c', [row('TIRES', 1)]);
    expect([sut.get('a') !== undefined, sut.get('b') !== undefined, sut.get('c') !== undefined]).toEqual([true, false, true]);
    expect(sut.size).toBe(2);
  });

  it('holds nothing at size 0 (turned off)', () => {
    const sut = new ModelStateCache(0);
    sut.set('a', [row('TIRES', 1)]);
    expect(sut.get('a')).toBeUndefined();
  });
});
