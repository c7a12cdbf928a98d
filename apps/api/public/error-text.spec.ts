import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { apiErrorText } from './error-text.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The names the API's domain errors answer with (`this.name = 'X'` / `override readonly name = 'X'`). */
function domainErrorNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'generated' ? [] : domainErrorNames(path);
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.spec.ts')) return [];
    const source = readFileSync(path, 'utf8');
    if (!source.includes('extends DomainError')) return [];
    return [...source.matchAll(/\bname = '([A-Za-z]+Error)'/g)].map((m) => m[1]);
  });
}

describe(apiErrorText.name, () => {
  it('has Chinese words for every domain error the API answers with', () => {
    const names = [...new Set([...domainErrorNames(join(ROOT, 'apps')), ...domainErrorNames(join(ROOT, 'libs'))])];
    expect(names.length).toBeGreaterThanOrEqual(20);
    const untranslated = names.filter((name) => /[A-Za-z]/.test(apiErrorText(400, { error: name, message: 'x' }, 'zh')?.replace(/\d/g, '') ?? 'x'));
    expect(untranslated).toEqual([]);
  });

  it("says the API's failure in Chinese by its name, else by its status", () => {
    expect(apiErrorText(401, { statusCode: 401, error: 'InvalidCredentialsError', message: 'Invalid e-mail or password' }, 'zh')).toBe(
      '邮箱或密码不正确',
    );
    expect(apiErrorText(409, { error: 'SomethingNewError', message: 'Cannot do it' }, 'zh')).toBe('状态已改变，请刷新后重试');
    expect(apiErrorText(502, null, 'zh')).toBe('服务器出错，请稍后重试');
    expect(apiErrorText(418, null, 'zh')).toBeUndefined();
  });

  it("keeps the API's own English message in English", () => {
    expect(apiErrorText(400, { error: 'RequestValidationError', message: 'until: must be a date' }, 'en')).toBe('until: must be a date');
    expect(apiErrorText(400, { message: ['a', 'b'] }, 'en')).toBe('a, b');
    expect(apiErrorText(404, { error: 'NotFoundException' }, 'en')).toBe('NotFoundException');
    expect(apiErrorText(500, 'oops', 'en')).toBeUndefined();
  });
});
