import { readFileSync } from 'node:fs';

import { CHART_TEXT, chartTranslator, createTranslator, TEXT, translator } from './i18n.js';

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

describe('chart CHART_TEXT', () => {
  it('has every English string in Chinese too, and every key the chart module asks for', () => {
    expect(keys(CHART_TEXT.zh).sort()).toEqual(keys(CHART_TEXT.en).sort());
    const asked = [...source('evidence-charts.js').matchAll(/\btext\('([A-Za-z0-9]+)'/g)].map((m) => m[1]);
    expect(asked.length).toBeGreaterThan(20);
    expect(asked.filter((key) => !(key in CHART_TEXT.en))).toEqual([]);
  });

  it('fills the values a caption takes, in either language', () => {
    expect(chartTranslator('en')('fuelLoss', { pct: 8.5, low: 4, high: 12 })).toBe('; now 8.5 % more (90 % interval 4 to 12 %)');
    expect(chartTranslator('zh')('pressureLeaks', { wheels: 'FR' })).toBe('；发现漏气：FR');
    expect(chartTranslator('zh').component('TIRES')).toBe('轮胎');
  });
});

describe(createTranslator.name, () => {
  const tables = { en: { hello: 'Hello {name}', colour: { RED: 'Red' } }, zh: { hello: '你好 {name}' } };

  it('falls back to English for a key or a group missing in the language, then to the key', () => {
    const t = createTranslator(tables, 'zh', ['colour']);
    expect(t('hello', { name: 'Li' })).toBe('你好 Li');
    expect(t.colour('RED')).toBe('Red');
    expect(t.colour('BLUE')).toBe('BLUE');
    expect(t('missing')).toBe('missing');
  });

  it('leaves a mark without a value as it is, and fills once (a value is not read as a template)', () => {
    const t = createTranslator(tables, 'en', []);
    expect(t('hello')).toBe('Hello {name}');
    expect(t('hello', { other: 1 })).toBe('Hello {name}');
    expect(t('hello', { name: '{name}' })).toBe('Hello {name}');
  });
});
