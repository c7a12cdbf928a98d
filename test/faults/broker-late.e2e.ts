import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { createPrismaClient, type PrismaClient } from '#app/database';
import { createFleet } from '../support/fixtures.js';
import { IngestionProcess } from '../support/ingestion-process.js';
import { ScratchBroker } from '../support/scratch-servers.js';
import { testEnv } from '../support/test-env.js';
import { ingestionEnv } from './support/ingestion-pair.js';
import { countAgainst, sleep, TelemetryStream, waitUntilStored } from './support/telemetry-stream.js';

/** A broker that accepts the TCP connection and never answers CONNECT: a node busy electing its leaders. */
async function silentListener(port: number): Promise<{ close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function waitForLog(process: IngestionProcess, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!process.log.includes(text)) {
    if (!process.running) throw new Error(`ingestion exited while waiting for "${text}":\n${process.log}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${process.log}`);
    await sleep(100);
  }
}

describe('ingestion started before its broker answers', () => {
  let prisma: PrismaClient;
  let broker: ScratchBroker | undefined;
  let ingestion: IngestionProcess | undefined;

  beforeAll(() => {
    prisma = createPrismaClient(testEnv.databaseUrl, 4);
  });

  afterEach(async () => {
    await ingestion?.stop('SIGTERM', 20_000);
    await broker?.destroy();
  });

  afterAll(async () => {
    await prisma.$disconnect();
  });

  it('waits through a CONNACK timeout and a refused port, then stores every acknowledged sample once', async () => {
    const tag = randomUUID().slice(0, 8);
    const fleet = await createFleet(prisma, 10);
    broker = await ScratchBroker.start({ autosaveSeconds: 1 });
    await broker.halt('SIGTERM');
    const silent = await silentListener(broker.port);
    ingestion = new IngestionProcess(ingestionEnv(broker, tag));
    const ready = ingestion.start(120_000);
    ready.catch(() => undefined); // awaited below; a rejection before that must not go unhandled

    // The first CONNECT's 10-s CONNACK wait ends; the start used to fail here ("connack timeout", exit 1).
    await waitForLog(ingestion, 'connack timeout', 30_000);
    await silent.close();
    await sleep(2_000); // nothing listening: refused connections, retried
    expect(ingestion.running).toBe(true);
    expect(ingestion.log).not.toContain('ingestion ready');

    await broker.resume();
    const resumedAt = Date.now();
    await ready;
    const readyAfterMs = Date.now() - resumedAt;

    const stream = await TelemetryStream.start(broker.url, `car-${tag}`, fleet, 200);
    await sleep(3_000);
    await stream.stop();
    await waitUntilStored(prisma, fleet, stream.acknowledged, 30_000);
    await sleep(500);
    const final = await countAgainst(prisma, fleet, stream.acknowledged);
    console.log(
      `ingestion started before its broker: ready ${(readyAfterMs / 1000).toFixed(1)} s after the broker came up; ` +
        `acknowledged=${stream.acknowledged.size} stored=${final.distinct} lost=${final.lost} duplicated=${final.rows - final.distinct}`,
    );
    expect(stream.acknowledged.size).toBeGreaterThanOrEqual(500);
    expect(final.lost).toBe(0);
    expect(final.rows).toBe(final.distinct);
  });

  it('a broker that refuses the login fails the start at once instead of retrying forever', async () => {
    const tag = randomUUID().slice(0, 8);
    broker = await ScratchBroker.start({ autosaveSeconds: 1, allowAnonymous: false });
    ingestion = new IngestionProcess(ingestionEnv(broker, tag));
    const startedAt = Date.now();
    await expect(ingestion.start(30_000)).rejects.toThrow(/exited with 1[\s\S]*Not authorized/);
    console.log(`refused by the broker: exited after ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  });
});
