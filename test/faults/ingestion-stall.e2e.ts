import { randomUUID } from 'node:crypto';
import { createFleet } from '../support/fixtures.js';
import { freePort } from '../support/ports.js';
import { waitFor } from '../support/telemetry-publisher.js';
import { ingestionPairEnv, type Readiness, readReadiness, useIngestionPair } from './support/ingestion-pair.js';
import { TelemetryStream } from './support/telemetry-stream.js';

/** Anonymous clients may publish telemetry and read $SYS, but nothing reaches a telemetry subscriber: granted, then dropped at delivery. */
const DROPPING_ACL = 'topic write vehicles/#\ntopic read $SYS/#\n';
const OPEN_ACL = 'topic readwrite vehicles/#\ntopic read $SYS/#\n';

/**
 * The silent failure behind the lost-data reports: the broker acknowledges every car's publish and nothing
 * reaches ingestion (here: a subscription granted but refused at delivery, as a forgotten $share subscription
 * or a thief in the share group looks from outside). The operator must see it on /health/ready and /metrics.
 */
describe('a stalled ingestion is visible', () => {
  const pair = useIngestionPair();

  it('stalled on /health/ready and /metrics while the broker takes publishes that never arrive, ok again once they do', async () => {
    const tag = randomUUID().slice(0, 8);
    const fleet = await createFleet(pair.prisma, 5);
    const broker = await pair.startBroker({ autosaveSeconds: 30, acl: DROPPING_ACL });
    const port = await freePort();
    const env = ingestionPairEnv({
      brokerUrl: broker.url,
      clientId: `ingest-stall-${tag}`,
      queuePrefix: `test-stall-${tag}`,
      port,
      extra: { INGEST_STATUS_INTERVAL_MS: '500', INGEST_STALL_WINDOW_MS: '4000' },
    });
    const ingestion = pair.app('ingestion', env);
    const api = pair.app('api', env);
    await Promise.all([ingestion.start(), api.start()]);
    const ready = (): Promise<Readiness> => readReadiness(port);
    const metrics = async (): Promise<string> => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();

    const stream = await TelemetryStream.start(broker.url, `car-stall-${tag}`, fleet, 100);
    try {
      const startedAt = Date.now();
      const stalled = await waitFor(ready, (r) => r.checks.ingestion.status === 'down', 20_000, 250);
      const noticedAfter = (Date.now() - startedAt) / 1000;
      expect(stalled.status).toBe('not_ready');
      expect(stalled.checks.ingestion.replicas).toEqual([
        expect.objectContaining({ state: 'stalled', detail: expect.stringMatching(/none reached ingestion/) }),
      ]);
      expect(await metrics()).toMatch(/^carhealth_ingestion_replicas\{state="stalled"\} 1$/m);
      expect(ingestion.log).toMatch(/ingestion stalled: the broker received \d+ publishes/);

      await broker.reload(OPEN_ACL);
      const reloadedAt = Date.now();
      const recovered = await waitFor(ready, (r) => r.checks.ingestion.status === 'up', 20_000, 250);
      console.log(
        `stall noticed ${noticedAfter.toFixed(1)} s after cars began publishing into nowhere (window 4 s, $SYS every 1 s); ` +
          `ok again ${((Date.now() - reloadedAt) / 1000).toFixed(1)} s after telemetry flowed`,
      );
      expect(recovered.status).toBe('ready');
      expect(await metrics()).toMatch(/^carhealth_ingestion_replicas\{state="ok"\} 1$/m);
      expect(await metrics()).toMatch(/^carhealth_ingestion_last_message_age_seconds\{replica="ingest-stall-[0-9a-f]+"\} /m);
    } finally {
      await stream.stop(1_000);
    }
  }, 90_000);
});
