// The benches' publisher against stand-in connections (no broker): the offered rate, what counts as published, seqs.
import { jest } from '@jest/globals';
import type { MqttClient } from 'mqtt';
import { type LoadChannel, publishTelemetry } from './telemetry-load.js';

type Callback = (error?: Error | null) => void;

/** A connection whose broker acknowledges each publish `ackMs` later (with `fail`, refuses every `fail`-th). */
function standIn(ackMs: number, fail = 0): { client: MqttClient; topics: string[]; payloads: string[] } {
  const topics: string[] = [];
  const payloads: string[] = [];
  const publish = (topic: string, payload: string, _options: object, callback: Callback): void => {
    topics.push(topic);
    payloads.push(payload);
    const refused = fail > 0 && topics.length % fail === 0;
    setTimeout(() => callback(refused ? new Error('connection lost') : null), ackMs);
  };
  return { client: { publish } as unknown as MqttClient, topics, payloads };
}

describe(publishTelemetry.name, () => {
  it('offers the rate over the channels, each car in turn, and counts what the broker acknowledged', async () => {
    const connections = [standIn(5), standIn(5)];
    const channels: LoadChannel[] = [
      { client: connections[0]!.client, vins: ['VIN-A', 'VIN-B'] },
      { client: connections[1]!.client, vins: ['VIN-C'] },
    ];
    const acknowledged = await publishTelemetry(channels, { durationMs: 1000, rate: 200, window: 10, seqs: new Map() });
    expect(acknowledged).toBe(200);
    expect(connections[0]!.topics.slice(0, 3)).toEqual(['vehicles/VIN-A/telemetry', 'vehicles/VIN-B/telemetry', 'vehicles/VIN-A/telemetry']);
    expect(connections[1]!.topics).toHaveLength(100);
  });

  it('keeps one timer per channel at a steady rate (it used to add a polling chain per acknowledgement)', async () => {
    const timers = jest.spyOn(globalThis, 'setTimeout');
    try {
      const channels = Array.from({ length: 10 }, (_, index) => ({ client: standIn(3).client, vins: [`VIN-${String(index)}`] }));
      const acknowledged = await publishTelemetry(channels, { durationMs: 1000, rate: 500, window: 10, seqs: new Map() });
      expect(acknowledged).toBe(500);
      // One acknowledgement timer per publish (the stand-in's), and about one wake-up per send.
      expect(timers.mock.calls.length).toBeLessThan(3 * acknowledged);
    } finally {
      timers.mockRestore();
    }
  });

  it('publishes as fast as the broker acknowledges when the rate is 0', async () => {
    const connection = standIn(1);
    const acknowledged = await publishTelemetry([{ client: connection.client, vins: ['VIN-A'] }], {
      durationMs: 300,
      rate: 0,
      window: 50,
      seqs: new Map(),
    });
    expect(acknowledged).toBeGreaterThan(500);
  });

  it('does not count a publish the broker did not acknowledge, and continues each car from the seqs it is given', async () => {
    const connection = standIn(2, 4);
    const seqs = new Map([['VIN-A', 41]]);
    const acknowledged = await publishTelemetry([{ client: connection.client, vins: ['VIN-A'] }], { durationMs: 500, rate: 40, window: 5, seqs });
    expect(connection.payloads).toHaveLength(20);
    expect(acknowledged).toBe(15);
    expect(JSON.parse(connection.payloads[0]!)).toMatchObject({ seq: 42 });
    expect(seqs.get('VIN-A')).toBe(61);
  });
});
