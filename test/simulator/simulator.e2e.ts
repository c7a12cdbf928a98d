// The simulator against the real broker (MQTT_URL from scripts/infra.sh): what arrives on
// vehicles/+/telemetry must be valid device-contract JSON.
import mqtt, { type MqttClient } from 'mqtt';
import { MqttFleetPublisher } from '../../apps/simulator/src/publish/mqtt-fleet.publisher.js';
import { type FleetRunOptions, runFleet } from '../../apps/simulator/src/run/fleet.runner.js';

const mqttUrl = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';

interface Received {
  topic: string;
  body: unknown;
}

function runOptions(overrides: Partial<FleetRunOptions>): FleetRunOptions {
  return {
    vehicles: 2,
    startIndex: 1,
    // A prefix of our own, so traffic from other tests on the same broker is told apart.
    vinPrefix: `SIM${Math.random().toString(36).slice(2, 7).toUpperCase()}`,
    seed: 'e2e',
    intervalMs: 100,
    batch: 1,
    faults: [],
    backfillDays: 0,
    backfillOnly: false,
    parkedIntervalMs: 300_000,
    driveNow: true,
    durationS: 2,
    ...overrides,
  };
}

async function collect(prefix: string, run: () => Promise<void>): Promise<Received[]> {
  const received: Received[] = [];
  const subscriber: MqttClient = await mqtt.connectAsync(mqttUrl, { clientId: `sim-e2e-sub-${process.pid}`, clean: true });
  subscriber.on('message', (topic, payload) => {
    if (topic.startsWith(`vehicles/${prefix}`)) received.push({ topic, body: JSON.parse(payload.toString('utf8')) });
  });
  await subscriber.subscribeAsync('vehicles/+/telemetry', { qos: 1 });
  try {
    await run();
    await new Promise((resolve) => setTimeout(resolve, 300));
  } finally {
    await subscriber.endAsync();
  }
  return received;
}

type ContractSample = Record<string, unknown> & { ts: string; seq: number };

function expectContractSample(sample: ContractSample): void {
  expect(typeof sample.ts).toBe('string');
  expect(new Date(sample.ts).toISOString()).toBe(sample.ts);
  expect(Number.isSafeInteger(sample.seq)).toBe(true);
  expect(sample.seq).toBe(Date.parse(sample.ts));
  const ranges: Record<string, [number, number]> = {
    speedKph: [0, 300],
    rpm: [0, 8000],
    coolantTempC: [-40, 215],
    odometerKm: [0, 2_000_000],
    batteryV: [6, 16],
    fuelRateLph: [0, 60],
  };
  for (const [field, [min, max]] of Object.entries(ranges)) {
    if (sample[field] === undefined) continue;
    expect(typeof sample[field]).toBe('number');
    expect(sample[field]).toBeGreaterThanOrEqual(min);
    expect(sample[field]).toBeLessThanOrEqual(max);
  }
}

describe('simulator', () => {
  let publisher: MqttFleetPublisher;

  beforeEach(async () => {
    publisher = await MqttFleetPublisher.connect({ url: mqttUrl, clients: 2, clientIdPrefix: `sim-e2e-${process.pid}` });
  });

  it('publishes two live vehicles per the device contract for ~2 s', async () => {
    const options = runOptions({});
    const received = await collect(options.vinPrefix, async () => {
      await runFleet(options, { publisher, bucket: undefined, signal: new AbortController().signal });
      await publisher.close();
    });

    const vins = ['01', '02'].map((n) => options.vinPrefix + n.padStart(17 - options.vinPrefix.length, '0'));
    expect(new Set(received.map((r) => r.topic))).toEqual(new Set(vins.map((vin) => `vehicles/${vin}/telemetry`)));
    // 2 vehicles x 2 s / 100 ms, give or take the first tick.
    expect(received.length).toBeGreaterThanOrEqual(36);
    expect(received.length).toBeLessThanOrEqual(42);
    expect(publisher.stats).toMatchObject({ errors: 0, messages: received.length, inFlight: 0 });
    for (const vin of vins) {
      const samples = received.filter((r) => r.topic.includes(vin)).map((r) => r.body as ContractSample);
      samples.forEach(expectContractSample);
      expect(samples.every((s, i) => i === 0 || s.seq > samples[i - 1]!.seq)).toBe(true);
      expect(samples.some((s) => (s.rpm as number) > 0)).toBe(true);
    }
  });

  it('backfills history as batched { samples: [...] } messages, oldest first', async () => {
    const options = runOptions({ backfillDays: 0.25, backfillOnly: true, batch: 50, driveNow: false, intervalMs: 1000 });
    const received = await collect(options.vinPrefix, async () => {
      await runFleet(options, { publisher, bucket: undefined, signal: new AbortController().signal });
      await publisher.close();
    });

    expect(received.length).toBeGreaterThan(0);
    const batches = received.map((r) => (r.body as { samples: ContractSample[] }).samples);
    expect(batches.every((batch) => Array.isArray(batch) && batch.length >= 1 && batch.length <= 50)).toBe(true);
    const samples = batches.flat();
    samples.forEach(expectContractSample);
    for (const vin of new Set(received.map((r) => r.topic))) {
      const ts = received
        .filter((r) => r.topic === vin)
        .flatMap((r) => (r.body as { samples: ContractSample[] }).samples.map((s) => Date.parse(s.ts)));
      expect(ts.every((t, i) => i === 0 || t > ts[i - 1]!)).toBe(true);
    }
    const oldest = Math.min(...samples.map((s) => Date.parse(s.ts)));
    expect(Date.now() - oldest).toBeGreaterThan(5.9 * 3_600_000);
    expect(Math.max(...samples.map((s) => Date.parse(s.ts)))).toBeLessThanOrEqual(Date.now());
  });
});
