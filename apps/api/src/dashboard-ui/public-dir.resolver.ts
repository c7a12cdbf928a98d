import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The UI's files, kept in the source tree: `tsc` emits only .js, so dist/ has no copy of them. */
export const PUBLIC_DIR_FROM_ROOT = join('apps', 'api', 'public');

/** The owner web app (PWA): plain ES modules and a service worker, no build step either. */
export const OWNER_APP_DIR_FROM_ROOT = join('apps', 'api', 'owner-app');

/**
 * Apache ECharts' prebuilt files (the ES module build, echarts.esm.min.js, is what the pages import): served
 * from the installed package, so its version is the one package-lock.json pins and no CDN is needed.
 */
export const ECHARTS_DIR_FROM_ROOT = join('node_modules', 'echarts', 'dist');

/**
 * Walks up from `startDir` to the project root (the first folder with a package.json). The same code
 * runs from apps/api/src (jest) and from dist/apps/api/src (node), at different depths, so a fixed
 * number of `..` would be right in only one of them.
 */
export function findProjectRoot(startDir: string): string {
  let dir = startDir;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${startDir}: cannot locate the UI files`);
    dir = parent;
  }
}

export function resolvePublicDir(fromUrl: string = import.meta.url, dirFromRoot: string = PUBLIC_DIR_FROM_ROOT): string {
  return join(findProjectRoot(dirname(fileURLToPath(fromUrl))), dirFromRoot);
}
