import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../support/project-root.js';

const run = promisify(execFile);

/**
 * `npm start`'s supervisor (scripts/supervisor.sh + scripts/pm2.config.cjs) on one app of the real build, the
 * mail sink, with a state folder (so a pm2 daemon) of its own: nothing of a running demo is touched.
 */
describe('the process supervisor of npm start', () => {
  const state = mkdtempSync(join(tmpdir(), 'carhealth-supervisor-'));
  let smtpPort: number;
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, NODE_OPTIONS: '', CARHEALTH_STATE: state, SMTP_PORT: String(smtpPort) });
  /** Runs bash with scripts/supervisor.sh sourced, in the project folder. */
  const supervisor = (script: string) =>
    run('bash', ['-c', `set -euo pipefail; source scripts/supervisor.sh; ${script}`], { cwd: projectRoot, env: env() });
  const script = (name: string) =>
    run('bash', [`scripts/${name}`], { cwd: projectRoot, env: env() }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
  const stateOf = async (app: string) => {
    const { stdout } = await supervisor('app_states');
    const [, status, pid, restarts] =
      stdout
        .split('\n')
        .find((line) => line.startsWith(`${app} `))
        ?.split(' ') ?? [];
    return { status, pid: Number(pid), restarts: Number(restarts) };
  };
  let bystander: ChildProcess | undefined;

  beforeAll(async () => {
    smtpPort = await freePort();
    await supervisor('pm2_quiet start scripts/pm2.config.cjs --only mail-sink');
    await waitFor(() => smtpGreets(smtpPort), 20_000, 'the mail sink to answer');
  });
  afterAll(async () => {
    bystander?.kill('SIGKILL');
    await supervisor('if supervisor_running; then pm2_quiet kill; fi');
    rmSync(state, { recursive: true, force: true });
  });

  it('starts an app that was killed with SIGKILL again, answering on its port under a new pid', async () => {
    const before = await stateOf('mail-sink');
    expect(before.status).toBe('online');
    const started = Date.now();
    process.kill(before.pid, 'SIGKILL');
    let after = before;
    await waitFor(
      async () => {
        after = await stateOf('mail-sink');
        return after.status === 'online' && after.pid !== before.pid && (await smtpGreets(smtpPort));
      },
      30_000,
      'the mail sink to be restarted',
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `supervisor: mail-sink SIGKILLed (pid ${before.pid}), answering again as pid ${after.pid} after ${seconds.toFixed(2)} s; restarts ${before.restarts} -> ${after.restarts}`,
    );
    expect(after.restarts).toBe(before.restarts + 1);
    expect(seconds).toBeLessThan(10);
  });

  it('shows each app with its state in `npm run status`, and says what is not running', async () => {
    const status = await script('status.sh');
    expect(status.stdout).toMatch(/\n {2}mail-sink +online +\d+ +\d+ +\d+s\n/);
    // The API, ingestion and the worker are not started in this folder: status says so by its exit code.
    expect(status.code).toBe(1);
  });

  it('believes no pid file before checking the process it names', async () => {
    // A process that is not ours holds the pid an old pid file names (a recycled pid).
    bystander = spawn('sleep', ['300'], { stdio: 'ignore' });
    mkdirSync(join(state, 'run'), { recursive: true });
    writeFileSync(join(state, 'run', 'api.pid'), String(bystander.pid));
    const { stdout } = await supervisor('legacy_pid_of api || echo "not ours"');
    expect(stdout.trim()).toBe('not ours');

    const stopped = await script('stop.sh');
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('stopping mail-sink');
    expect(bystander.exitCode).toBeNull();
    expect(bystander.signalCode).toBeNull();
    expect(existsSync(join(state, 'run', 'api.pid'))).toBe(false);
    expect(await smtpGreets(smtpPort)).toBe(false);

    // An app an older `npm start` ran with nohup and a pid file is ours (command line and folder match): stopped.
    const legacyPort = await freePort();
    const legacy = spawn(process.execPath, ['dist/apps/mail-sink/src/main.js', '--port', String(legacyPort), '--dir', join(state, 'mail')], {
      cwd: projectRoot,
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: 'ignore',
    });
    await waitFor(() => smtpGreets(legacyPort), 20_000, 'the legacy mail sink to answer');
    writeFileSync(join(state, 'run', 'mail-sink.pid'), String(legacy.pid));
    const exited = new Promise<number | null>((resolve) => legacy.once('exit', (code) => resolve(code)));
    expect((await script('stop.sh')).code).toBe(0);
    // It got SIGTERM (not SIGKILL): the mail sink closes its server and exits 0 on it.
    expect(await exited).toBe(0);
    expect(existsSync(join(state, 'run', 'mail-sink.pid'))).toBe(false);

    // The supervisor's own pid file, now naming the bystander, does not make it "running".
    writeFileSync(join(state, 'pm2', 'pm2.pid'), String(bystander.pid));
    const status = await script('status.sh');
    expect(status.stdout).toContain('no app is running');
    expect(status.code).toBe(1);
    await script('stop.sh');
    expect(bystander.exitCode).toBeNull();
    expect(existsSync(join(state, 'pm2', 'pm2.pid'))).toBe(false);
  });
});

/** Whether an SMTP server greets on the port (a bare open port is not enough: the app must be serving). */
function smtpGreets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (chunk: Buffer) => done(chunk.toString().startsWith('220')));
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
