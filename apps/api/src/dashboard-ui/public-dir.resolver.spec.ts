import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findProjectRoot, OWNER_APP_DIR_FROM_ROOT, resolvePublicDir } from './public-dir.resolver.js';

describe(findProjectRoot.name, () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'dashboard-ui-'));
    await writeFile(join(root, 'package.json'), '{}');
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('finds the same root from the source tree and from the deeper dist tree', async () => {
    const source = join(root, 'apps', 'api', 'src', 'dashboard-ui');
    const built = join(root, 'dist', 'apps', 'api', 'src', 'dashboard-ui');
    await mkdir(source, { recursive: true });
    await mkdir(built, { recursive: true });

    expect(findProjectRoot(source)).toBe(root);
    expect(findProjectRoot(built)).toBe(root);
    expect(resolvePublicDir(pathToFileURL(join(built, 'dashboard-ui.module.js')).href)).toBe(join(root, 'apps', 'api', 'public'));
  });
});

describe(resolvePublicDir.name, () => {
  it('points at the checked-in UI folder from this source file', () => {
    expect(existsSync(join(resolvePublicDir(), 'index.html'))).toBe(true);
  });

  it('points at the owner web app folder when asked for it', () => {
    expect(existsSync(join(resolvePublicDir(import.meta.url, OWNER_APP_DIR_FROM_ROOT), 'sw.js'))).toBe(true);
  });
});
