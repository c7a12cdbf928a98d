import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from './project-root.js';

/**
 * A directory holding copies of the migrations `keep` accepts (by folder name), for applyMigrations: a database
 * as it was before a migration (the partitioning test), or without one (bench:ingest --compare-layouts).
 * Copies, not links: the runner takes directories only. `remove()` deletes the copy.
 */
export async function migrationSubset(keep: (name: string) => boolean): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
  const all = join(projectRoot, 'prisma/migrations');
  for (const entry of await readdir(all, { withFileTypes: true })) {
    if (entry.isDirectory() && keep(entry.name)) await cp(join(all, entry.name), join(dir, entry.name), { recursive: true });
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
