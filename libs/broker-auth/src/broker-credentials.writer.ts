import { randomBytes } from 'node:crypto';
import { chown, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import type { RenderedBrokerCredentials } from './broker-credentials.renderer.js';

export interface BrokerFiles {
  readonly passwordFile: string;
  readonly aclFile: string;
  readonly pidFile: string | null;
}

export type BrokerReload = 'reloaded' | 'no pid file configured' | 'broker not running';

/** How long after the last write its reload is asked for once more (see BrokerCredentialsWriter.settleLater). */
export const SETTLE_RELOAD_MS = 1_000;

/**
 * Puts rendered credentials where Mosquitto reads them and asks it to reload (SIGHUP: Mosquitto 2 re-reads
 * password_file and acl_file, and disconnects clients whose login is no longer valid).
 */
export class BrokerCredentialsWriter {
  private settle: NodeJS.Timeout | undefined;

  constructor(
    private readonly files: BrokerFiles,
    private readonly settleMs = SETTLE_RELOAD_MS,
  ) {}

  async write(rendered: RenderedBrokerCredentials): Promise<BrokerReload> {
    // ACL before passwords: should the broker reload in between (another writer's SIGHUP), a new device can
    // log in with no rights yet, and a removed one keeps its login but has already lost its rights.
    await replaceFile(this.files.aclFile, rendered.aclFile);
    await replaceFile(this.files.passwordFile, rendered.passwordFile);
    const reload = await this.reload();
    if (reload === 'reloaded') this.settleLater();
    return reload;
  }

  /**
   * One more SIGHUP once the writes have been quiet for `settleMs`. Mosquitto loses a SIGHUP that arrives while it
   * reloads: its main loop reads the files and only then clears the flag the signal handler set (`if(flag_reload){
   * config__read(...); mosquitto_security_init(...); ... flag_reload = false; }`). Two device changes a few
   * milliseconds apart (two provisionings in a row, two replicas) could so leave the broker on the first file, the
   * second device refused until some later change: a CI run under load saw a provisioned device kept out for good.
   * A reload of unchanged files changes nothing for connected clients. The timer does not keep a process alive: the
   * start-up CLI, which writes once and exits, relies on its single SIGHUP as before.
   */
  private settleLater(): void {
    clearTimeout(this.settle);
    this.settle = setTimeout(() => void this.reload().catch(() => undefined), this.settleMs);
    this.settle.unref();
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
