import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerCredentialsWriter } from './broker-credentials.writer.js';

const rendered = { passwordFile: 'dev-a:$7$...\n', aclFile: 'user dev-a\ntopic write vehicles/X/telemetry\n', skipped: [] };

describe(BrokerCredentialsWriter.name, () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'broker-writer-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces both files whole, keeps their mode, and leaves no temp file behind', async () => {
    await writeFile(join(dir, 'devices.passwd'), 'old\n', { mode: 0o640 });
    const sut = new BrokerCredentialsWriter({ passwordFile: join(dir, 'devices.passwd'), aclFile: join(dir, 'devices.acl'), pidFile: null });

    expect(await sut.write(rendered)).toBe('no pid file configured');

    expect(await readFile(join(dir, 'devices.passwd'), 'utf8')).toBe(rendered.passwordFile);
    expect(await readFile(join(dir, 'devices.acl'), 'utf8')).toBe(rendered.aclFile);
    expect((await stat(join(dir, 'devices.passwd'))).mode & 0o777).toBe(0o640);
    expect((await stat(join(dir, 'devices.acl'))).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).sort()).toEqual(['devices.acl', 'devices.passwd']);
  });

  it('does not signal a pid that is not Mosquitto (a stale pid file naming a reused pid)', async () => {
    await writeFile(join(dir, 'mosquitto.pid'), `${process.pid}\n`);
    const hangups: string[] = [];
    const onHangup = () => hangups.push('SIGHUP');
    process.on('SIGHUP', onHangup);
    const sut = new BrokerCredentialsWriter({ passwordFile: join(dir, 'p'), aclFile: join(dir, 'a'), pidFile: join(dir, 'mosquitto.pid') });

    try {
      expect(await sut.write(rendered)).toBe('broker not running');
      expect(hangups).toEqual([]);
    } finally {
      process.off('SIGHUP', onHangup);
    }
  });

  it('reports a missing pid file as a broker that is not running', async () => {
    const sut = new BrokerCredentialsWriter({ passwordFile: join(dir, 'p'), aclFile: join(dir, 'a'), pidFile: join(dir, 'none.pid') });

    expect(await sut.write(rendered)).toBe('broker not running');
  });
});
