import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's root, whether this runs from test/ (jest) or from dist/test/ (benchmarks). */
function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return `${dir}/`;
}

export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
