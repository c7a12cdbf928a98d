import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Whether the port can be bound on loopback right now. */
export function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * `count` consecutive free ports (each also free at +`alsoOffset`: a Redis Cluster node's bus port is its port +
 * 10000), from a random start in [from, to): `npm run cluster`'s fixed defaults (4400.., 7600.., 3101..) stay free
 * for a developer's own cluster, and below 32768 no outgoing connection takes one meanwhile.
 */
export async function freePortRange(count: number, from: number, to: number, taken: readonly number[] = [], alsoOffset?: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const base = from + Math.floor(Math.random() * (to - from - count));
    const ports = Array.from({ length: count }, (_, i) => base + i);
    const wanted = alsoOffset === undefined ? ports : [...ports, ...ports.map((port) => port + alsoOffset)];
    if (wanted.some((port) => taken.includes(port))) continue;
    if ((await Promise.all(wanted.map(bindable))).every(Boolean)) return base;
  }
  throw new Error(`no ${String(count)} consecutive free ports in ${String(from)}-${String(to)}`);
}

/**
 * Live processes that belong to the cluster in `dir`: its pm2 daemon and apps (PM2_HOME inside it in their
 * environment), its nodes (the folder on their command line, or their pid in its pid files while that pid is still a
 * nats-server or redis-server).
 */
export function processesOf(dir: string, pidFiles: readonly string[]): { pid: number; command: string }[] {
  const recorded = new Set(pidFiles.flatMap((file) => readPid(file)));
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const command = readProc(pid, 'cmdline').replaceAll('\0', ' ').trim();
    const environment = readProc(pid, 'environ').split('\0');
    const node = recorded.has(pid) && /nats-server|redis-server/.test(command);
    const ours = node || command.includes(dir) || environment.includes(`PM2_HOME=${dir}/pm2`);
    // Zombies (already exited, not reaped yet) hold no port and run nothing.
    if (ours && !readProc(pid, 'stat').includes(') Z ')) found.push({ pid, command });
  }
  return found;
}

function readPid(file: string): number[] {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? [pid] : [];
  } catch {
    return [];
  }
}

function readProc(pid: number, name: string): string {
  try {
    return readFileSync(`/proc/${String(pid)}/${name}`, 'utf8');
  } catch {
    return '';
  }
}
