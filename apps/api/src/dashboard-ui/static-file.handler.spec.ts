import { join } from 'node:path';
import { resolveStaticFile } from './static-file.handler.js';

describe(resolveStaticFile.name, () => {
  const root = join('/srv', 'public');
  const sut = (urlPath: string) => resolveStaticFile(root, urlPath);

  it('maps the mount root to index.html, with or without a query', () => {
    expect(sut('/')).toBe(join(root, 'index.html'));
    expect(sut('')).toBe(join(root, 'index.html'));
    expect(sut('/?lang=zh')).toBe(join(root, 'index.html'));
  });

  it('maps a served file kind inside the folder to its path', () => {
    expect(sut('/app.js')).toBe(join(root, 'app.js'));
    expect(sut('/img/logo.svg')).toBe(join(root, 'img', 'logo.svg'));
  });

  it.each(['/../package.json', '/..%2F..%2Fetc/passwd.css', '/%2e%2e/secret.js', '/a/../../b.js'])(
    'refuses %s, which leaves the folder',
    (path) => expect(sut(path)).toBeNull(),
  );

  it.each(['/.env', '/.git/config.js', '/notes.txt', '/app', '/%E0%A4%A.js', '/a%00.js'])(
    'refuses %s: dot-files, unknown kinds and malformed paths',
    (path) => expect(sut(path)).toBeNull(),
  );
});
