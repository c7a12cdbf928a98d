import { randomUUID } from 'node:crypto';
import { type ChainableCommander, Redis } from 'ioredis';
import { loadApiConfig } from '#app/config';
import { IngestMetricsRecorder, ingestMetricsKey, renderIngestMetrics } from '#app/observability';

/** The value of one sample line (`name{labels} value`) in Prometheus text, or undefined. */
function sampleValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe(IngestMetricsRecorder.name, () => {
  const config = loadApiConfig();
  let redis: Redis;
  let prefix: string;
  let sut: IngestMetricsRecorder;

  beforeAll(() => {
    redis = new Redis(config.redisUrl);
  });

  beforeEach(() => {
    prefix = `test-metrics-${randomUUID()}`;
    sut = new IngestMetricsRecorder(redis, prefix);
  });

  afterEach(async () => {
    await sut.stop();
    await redis.del(ingestMetricsKey(prefix));
  });

  afterAll(async () => {
    await redis.quit();
  });

  it('renders zeroed metrics with HELP and TYPE lines before anything is recorded', async () => {
    const text = await renderIngestMetrics(redis, prefix);

    for (const name of [
      'carhealth_ingest_messages_received_total',
      'carhealth_ingest_samples_stored_total',
      'carhealth_ingest_duplicates_total',
      'carhealth_ingest_rejected_total',
    ]) {
      expect(text).toContain(`# HELP ${name} `);
      expect(text).toContain(`# TYPE ${name} counter`);
    }
    expect(text).toContain('# TYPE carhealth_ingest_batch_size histogram');
    expect(text).toContain('# TYPE carhealth_ingest_commit_lag_seconds histogram');
    expect(sampleValue(text, 'carhealth_ingest_messages_received_total')).toBe(0);
    expect(sampleValue(text, 'carhealth_ingest_batch_size_count')).toBe(0);
  });

  it('adds counters and rejections by reason to Redis on flush', async () => {
    sut.received(10);
    sut.received(5);
    sut.stored(12);
    sut.duplicates(2);
    sut.rejected('OUT_OF_RANGE');
    sut.rejected('OUT_OF_RANGE', 2);
    sut.rejected('MALFORMED_JSON');

    await sut.flush();
    const text = await renderIngestMetrics(redis, prefix);

    expect(sampleValue(text, 'carhealth_ingest_messages_received_total')).toBe(15);
    expect(sampleValue(text, 'carhealth_ingest_samples_stored_total')).toBe(12);
    expect(sampleValue(text, 'carhealth_ingest_duplicates_total')).toBe(2);
    expect(sampleValue(text, 'carhealth_ingest_rejected_total{reason="OUT_OF_RANGE"}')).toBe(3);
    expect(sampleValue(text, 'carhealth_ingest_rejected_total{reason="MALFORMED_JSON"}')).toBe(1);
  });

  it('records cumulative histograms for batch size and commit lag', async () => {
    sut.batch(3, [4, 40, 400]);
    sut.batch(800, [1500]);

    await sut.flush();
    const text = await renderIngestMetrics(redis, prefix);

    expect(sampleValue(text, 'carhealth_ingest_batch_size_bucket{le="5"}')).toBe(1);
    expect(sampleValue(text, 'carhealth_ingest_batch_size_bucket{le="500"}')).toBe(1);
    expect(sampleValue(text, 'carhealth_ingest_batch_size_bucket{le="1000"}')).toBe(2);
    expect(sampleValue(text, 'carhealth_ingest_batch_size_bucket{le="+Inf"}')).toBe(2);
    expect(sampleValue(text, 'carhealth_ingest_batch_size_sum')).toBe(803);
    expect(sampleValue(text, 'carhealth_ingest_batch_size_count')).toBe(2);
    expect(sampleValue(text, 'carhealth_ingest_commit_lag_seconds_bucket{le="0.005"}')).toBe(1);
    expect(sampleValue(text, 'carhealth_ingest_commit_lag_seconds_bucket{le="0.05"}')).toBe(2);
    expect(sampleValue(text, 'carhealth_ingest_commit_lag_seconds_bucket{le="0.5"}')).toBe(3);
    expect(sampleValue(text, 'carhealth_ingest_commit_lag_seconds_bucket{le="2.5"}')).toBe(4);
    expect(sampleValue(text, 'carhealth_ingest_commit_lag_seconds_count')).toBe(4);
    expect(sampleValue(text, 'carhealth_ingest_commit_lag_seconds_sum')).toBeCloseTo(1.944, 6);
  });

  it('adds up what two recorders (two ingestion replicas) flush under one prefix', async () => {
    const replica = new IngestMetricsRecorder(redis, prefix);
    sut.stored(100);
    replica.stored(50);

    await Promise.all([sut.flush(), replica.stop()]);

    expect(sampleValue(await renderIngestMetrics(redis, prefix), 'carhealth_ingest_samples_stored_total')).toBe(150);
  });

  it('flushes by itself every second once started, and on stop', async () => {
    sut.start();
    sut.received(7);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(await redis.hget(ingestMetricsKey(prefix), 'received')).toBe('7');

    sut.received(1);
    await sut.stop();
    expect(await redis.hget(ingestMetricsKey(prefix), 'received')).toBe('8');
  });

  it('keeps the counts of a failed flush for the next one', async () => {
    const flaky = new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false });
    await flaky.connect();
    await flaky.quit();
    const offline = new IngestMetricsRecorder(flaky, prefix);
    offline.received(4);
    await offline.flush();
    expect(await redis.hget(ingestMetricsKey(prefix), 'received')).toBeNull();

    await flaky.connect();
    await offline.stop();
    await flaky.quit();
    expect(await redis.hget(ingestMetricsKey(prefix), 'received')).toBe('4');
  });

  it('stays cheap at 10,000 events per second: one flush of a second of traffic is one round trip', async () => {
    // What a flush sends, not how long counting took (a timed assertion measures the machine's load): one
    // pipeline whose commands are one per counter, the same for 10,000 events as for 10.
    const sent: ChainableCommander[] = [];
    const pipeline = redis.pipeline.bind(redis);
    redis.pipeline = (...args: Parameters<Redis['pipeline']>): ChainableCommander => {
      const made = pipeline(...args);
      sent.push(made);
      return made;
    };
    const commandsOfOneFlush = async (events: number): Promise<number> => {
      sent.length = 0;
      for (let i = 0; i < events; i += 1) sut.received(1);
      for (let i = 0; i < events / 1000; i += 1)
        sut.batch(
          1000,
          Array.from({ length: 1000 }, (_, k) => k % 700),
        );
      await sut.flush();
      expect(sent).toHaveLength(1);
      return sent[0].length;
    };

    let atTenThousand: number;
    let atOneThousand: number;
    try {
      atTenThousand = await commandsOfOneFlush(10_000);
      atOneThousand = await commandsOfOneFlush(1000);
    } finally {
      redis.pipeline = pipeline;
    }

    expect(atTenThousand).toBe(atOneThousand);
    expect(atTenThousand).toBeLessThan(40);
    expect(await redis.hget(ingestMetricsKey(prefix), 'received')).toBe('11000');
    expect(await redis.hget(ingestMetricsKey(prefix), 'commit_lag:count')).toBe('11000');
  });

  it('escapes quotes and backslashes in reason labels', async () => {
    sut.rejected('BAD"REASON\\X');
    await sut.flush();
    expect(await renderIngestMetrics(redis, prefix)).toContain('carhealth_ingest_rejected_total{reason="BAD\\"REASON\\\\X"} 1');
  });
});
