import { readFileSync } from 'node:fs';

import { TEXT, translator } from './i18n.js';

// The browser module itself (apps/api/public/i18n.js), imported as a plain ES module.
const source = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');

const keys = (table: Record<string, unknown>, prefix = ''): string[] =>
  Object.entries(table).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keys(value as Record<string, unknown>, `${key}.`) : [`${prefix}${key}`],
  );

describe('dashboard TEXT', () => {
  it('has every English string in Chinese too, and no Chinese string without an English one', () => {
    expect(keys(TEXT.zh).sort()).toEqual(keys(TEXT.en).sort());
  });

  it("has every key the page's markup and script ask for", () => {
    const asked = [
      ...[...source('index.html').matchAll(/data-i18n="([A-Za-z0-9]+)"/g)].map((m) => m[1]),
      ...[...source('app.js').matchAll(/\bt\('([A-Za-z0-9]+)'\)/g)].map((m) => m[1]),
    ];
    expect(asked.length).toBeGreaterThan(20);
    expect(asked.filter((key) => !(key in TEXT.en))).toEqual([]);
  });
});

describe(translator.name, () => {
  it('looks up strings and groups in the language, and falls back to the key', () => {
    const t = translator('zh');
    expect(t('logout')).toBe('退出');
    expect(t.risk('CRITICAL')).toBe('严重');
    expect(t.component('TIRES')).toBe('轮胎');
    expect(t.deviceState('OFFLINE')).toBe('离线 {d}');
    expect(t('noSuchKey')).toBe('noSuchKey');
    expect(t.component('SOMETHING_NEW')).toBe('SOMETHING_NEW');
  });

  it('reads an unknown language as English', () => {
    expect(translator('fr')('logout')).toBe('Log out');
    expect(translator('fr').risk('SOON')).toBe('Soon');
  });
});
