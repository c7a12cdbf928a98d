import { randomBytes } from 'node:crypto';
import { chown, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import type { RenderedBrokerCredentials } from './broker-credentials.renderer.js';

export interface BrokerFiles {
  readonly passwordFile: string;
  readonly aclFile: string;
  readonly pidFile: string | null;
}

export type BrokerReload = 'reloaded' | 'no pid file configured' | 'broker not running';

/**
 * Puts rendered credentials where Mosquitto reads them and asks it to reload (SIGHUP: Mosquitto 2 re-reads
 * password_file and acl_file, and disconnects clients whose login is no longer valid).
 */
export class BrokerCredentialsWriter {
  constructor(private readonly files: BrokerFiles) {}

  async write(rendered: RenderedBrokerCredentials): Promise<BrokerReload> {
    // ACL before passwords: should the broker reload in between (another writer's SIGHUP), a new device can
    // log in with no rights yet, and a removed one keeps its login but has already lost its rights.
    await replaceFile(this.files.aclFile, rendered.aclFile);
    await replaceFile(this.files.passwordFile, rendered.passwordFile);
    return this.reload();
  }

  private async reload(): Promise<BrokerReload> {
    if (this.files.pidFile === null) return 'no pid file configured';
    let pid: number;
    try {
      pid = Number.parseInt((await readFile(this.files.pidFile, 'utf8')).trim(), 10);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return 'broker not running';
      throw error;
    }
    if (!Number.isInteger(pid) || pid <= 1 || !(await isMosquitto(pid))) return 'broker not running';
    try {
      process.kill(pid, 'SIGHUP');
    } catch (error) {
      if (isErrno(error, 'ESRCH')) return 'broker not running';
      throw error;
    }
    return 'reloaded';
  }
}

/**
 * Temp file + rename in the same folder, so the broker never reads half a file. The new file keeps the old
 * one's mode and owner: the broker may run as its own user and must still be able to read it.
 */
export async function replaceFile(path: string, content: string): Promise<void> {
  const previous = await stat(path).catch((error: unknown) => {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, content, { mode: previous ? previous.mode & 0o777 : 0o600 });
    if (previous) await chown(temp, previous.uid, previous.gid).catch(() => undefined); // only root may give files away
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * A stale pid file may name a process that has since been reused, and SIGHUP ends most programs: signal
 * only a process that is Mosquitto. Where /proc cannot tell (not Linux), trust the pid file.
 */
async function isMosquitto(pid: number): Promise<boolean> {
  try {
    return (await readFile(`/proc/${pid}/comm`, 'utf8')).trim() === 'mosquitto';
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return process.platform !== 'linux';
    throw error;
  }
}

// Duck-typed: errors from node:fs can come from another realm (jest's VM), where instanceof Error fails.
function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}
