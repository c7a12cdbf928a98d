import { assessIngestion, STALL_MIN_BROKER_PUBLISHES, type TrafficReading } from './ingestion-stall.policy.js';

const allUp = { connections: 2, connected: 2, subscribed: 2 };
const WINDOW = 60_000;

/** Readings every 10 s from t=0, with the broker's and our counters growing by the given steps. */
function readings(count: number, brokerStep: number | null, receivedStep: number): TrafficReading[] {
  return Array.from({ length: count }, (_, i) => ({
    atMs: i * 10_000,
    brokerPublishes: brokerStep === null ? null : 1_000 + i * brokerStep,
    received: 500 + i * receivedStep,
  }));
}

describe('assessIngestion', () => {
  it('is ok while telemetry arrives as the broker receives it', () => {
    expect(assessIngestion(readings(8, 100, 100), allUp, WINDOW)).toEqual({ state: 'ok', brokerPublishes: 600, received: 600 });
  });

  it('is stalled when the broker received publishes over a whole window and none reached us', () => {
    const result = assessIngestion(readings(8, 100, 0), allUp, WINDOW);
    expect(result.state).toBe('stalled');
    expect(result.detail).toBe('the broker received 600 publishes in the last 60 s and none reached ingestion');
  });

  it('does not judge before a whole window of readings exists', () => {
    expect(assessIngestion(readings(6, 100, 0), allUp, WINDOW).state).toBe('ok');
  });

  it('ignores a trickle of publishes below the threshold (probes, a stray status message)', () => {
    const step = (STALL_MIN_BROKER_PUBLISHES - 1) / 6;
    expect(assessIngestion(readings(7, step, 0), allUp, WINDOW).state).toBe('ok');
  });

  it('cannot tell when the broker reports nothing, or restarted within the window (its counter began again)', () => {
    expect(assessIngestion(readings(8, null, 0), allUp, WINDOW)).toEqual({ state: 'ok', brokerPublishes: null, received: 0 });
    const restarted = readings(8, 100, 0).map((r, i) => (i === 7 ? { ...r, brokerPublishes: 5 } : r));
    expect(assessIngestion(restarted, allUp, WINDOW).brokerPublishes).toBeNull();
  });

  it('reports a connection down, then a refused subscription, before judging traffic', () => {
    expect(assessIngestion(readings(8, 100, 0), { ...allUp, connected: 1 }, WINDOW)).toMatchObject({
      state: 'disconnected',
      detail: '1 of 2 broker connection(s) down, reconnecting',
    });
    expect(assessIngestion(readings(8, 100, 100), { ...allUp, subscribed: 0 }, WINDOW)).toMatchObject({
      state: 'unsubscribed',
      detail: '2 of 2 connection(s) without a granted subscription',
    });
  });
});
