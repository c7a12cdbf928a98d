import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the real OBD-II logs are: OBD_DATA_DIR, else `shared/data/obd` beside the checkout (the logs
 * have no licence to be copied into the repository; every machine of the team and CI has shared/ there).
 * Read here, not in libs/telemetry: the parsers know no environment, their callers pass the directory.
 */
export function obdDataDir(environment: NodeJS.ProcessEnv = process.env): string {
  if (environment.OBD_DATA_DIR) return environment.OBD_DATA_DIR;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return resolve(dir, '../shared/data/obd');
}
