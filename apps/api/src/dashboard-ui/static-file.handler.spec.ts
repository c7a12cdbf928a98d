import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { folderRedirect, resolveStaticFile } from './static-file.handler.js';

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
    expect(sut('/manifest.webmanifest')).toBe(join(root, 'manifest.webmanifest'));
    expect(sut('/sw.js')).toBe(join(root, 'sw.js'));
  });

  it.each(['/../package.json', '/..%2F..%2Fetc/passwd.css', '/%2e%2e/secret.js', '/a/../../b.js'])('refuses %s, which leaves the folder', (path) =>
    expect(sut(path)).toBeNull(),
  );

  it.each(['/.env', '/.git/config.js', '/notes.txt', '/app', '/%E0%A4%A.js', '/a%00.js'])(
    'refuses %s: dot-files, unknown kinds and malformed paths',
    (path) => expect(sut(path)).toBeNull(),
  );
});

describe(folderRedirect.name, () => {
  const sut = (originalUrl: string) => folderRedirect('/app', { url: '/', originalUrl } as IncomingMessage & { originalUrl: string });

  it('sends the bare mount path to its folder form, keeping the query', () => {
    expect(sut('/app')).toBe('/app/');
    expect(sut('/app?lang=zh')).toBe('/app/?lang=zh');
  });

  it('leaves the folder and the files in it alone', () => {
    expect(sut('/app/')).toBeNull();
    expect(sut('/app/?x=1')).toBeNull();
    expect(sut('/app/sw.js')).toBeNull();
  });
});
