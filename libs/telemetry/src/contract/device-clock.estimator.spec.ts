import { DeviceClockEstimator } from './device-clock.estimator.js';
import { parseTelemetryMessage } from './telemetry-message.parser.js';

const TWO_HOURS = 2 * 3_600_000;
const jitter = (i: number): number => ((i * 7919) % 1000) - 500;

describe(DeviceClockEstimator.name, () => {
  it('finds a clock 2 h ahead after five messages, to the second, despite network jitter', () => {
    const sut = new DeviceClockEstimator();
    for (let i = 0; i < 4; i++) sut.observe('car', TWO_HOURS + jitter(i));
    expect(sut.offsetFor('car')).toBe(0);
    expect(sut.settled('car')).toBe(false);

    sut.observe('car', TWO_HOURS + jitter(4));

    expect(sut.settled('car')).toBe(true);
    expect(sut.offsetFor('car')).toBe(TWO_HOURS);
  });

  it('leaves a right clock (latency and a few seconds of drift) alone', () => {
    const sut = new DeviceClockEstimator();
    for (let i = 0; i < 20; i++) sut.observe('car', 3_000 + jitter(i));

    expect(sut.settled('car')).toBe(true);
    expect(sut.offsetFor('car')).toBe(0);
  });

  it('never moves samples of a device sending its offline backlog (old samples are not a clock behind)', () => {
    const sut = new DeviceClockEstimator();
    for (let i = 0; i < 20; i++) sut.observe('car', -3_600_000 + i * 60_000);

    expect(sut.offsetFor('car')).toBe(0);
  });

  it('keeps its correction through a few outliers (a buffered message) and follows a clock that is set right', () => {
    const sut = new DeviceClockEstimator();
    for (let i = 0; i < 15; i++) sut.observe('car', TWO_HOURS + jitter(i));
    sut.observe('car', TWO_HOURS - 40 * 60_000);
    sut.observe('car', TWO_HOURS - 35 * 60_000);
    expect(sut.offsetFor('car')).toBe(TWO_HOURS);

    for (let i = 0; i < 15; i++) sut.observe('car', 1_000 + jitter(i));

    expect(sut.offsetFor('car')).toBe(0);
  });

  it('does not apply an offset while the readings disagree (a clock being set)', () => {
    const sut = new DeviceClockEstimator();
    for (let i = 0; i < 6; i++) sut.observe('car', i % 2 === 0 ? TWO_HOURS : 10 * 60_000);

    expect(sut.offsetFor('car')).toBe(0);
  });

  it('keeps devices apart', () => {
    const sut = new DeviceClockEstimator();
    for (let i = 0; i < 5; i++) sut.observe('fast', TWO_HOURS);

    expect(sut.offsetFor('fast')).toBe(TWO_HOURS);
    expect(sut.offsetFor('other')).toBe(0);
  });
});

describe('parseTelemetryMessage with a device clock correction', () => {
  const receivedAt = new Date('2026-12-06T10:00:00.000Z');
  const payload = Buffer.from(
    JSON.stringify({
      samples: [
        { ts: '2026-12-06T11:59:50.000Z', seq: 1, speedKph: 50 },
        { ts: '2026-12-06T12:00:00.000Z', seq: 2 },
      ],
    }),
  );

  it('refuses a clock 2 h ahead without a correction, and reports every ts it read', () => {
    const seen: number[] = [];

    const sut = parseTelemetryMessage('vehicles/LCHDEM00000000001/telemetry', payload, receivedAt, undefined, {
      offsetMs: 0,
      observe: (t) => seen.push(t),
    });

    expect(sut).toMatchObject({ ok: true, samples: [], rejections: [{ reason: 'CLOCK_IN_FUTURE' }, { reason: 'CLOCK_IN_FUTURE' }] });
    expect(seen).toEqual([Date.parse('2026-12-06T11:59:50.000Z'), Date.parse('2026-12-06T12:00:00.000Z')]);
  });

  it('stores the samples on our clock with the correction', () => {
    const sut = parseTelemetryMessage('vehicles/LCHDEM00000000001/telemetry', payload, receivedAt, undefined, { offsetMs: TWO_HOURS });

    expect(sut).toMatchObject({ ok: true, rejections: [] });
    expect(sut.ok ? sut.samples.map((s) => s.ts.toISOString()) : []).toEqual(['2026-12-06T09:59:50.000Z', '2026-12-06T10:00:00.000Z']);
  });
});

describe('DeviceClockEstimator.heldOffsetFor (messages that cannot wait for the estimate)', () => {
  it('corrects a parked device 2 h fast from its first message, never past the clock lead', () => {
    const sut = new DeviceClockEstimator();
    // One message every 30 minutes, taken 1.5 s before it arrives: each offset is the lead minus that.
    sut.observe('car', TWO_HOURS - 1_500);

    expect(sut.offsetFor('car')).toBe(0);
    expect(sut.heldOffsetFor('car')).toBe(TWO_HOURS - 2_000);

    sut.observe('car', TWO_HOURS - 700);
    expect(sut.heldOffsetFor('car')).toBe(TWO_HOURS - 1_000);
  });

  it('is the settled estimate once there is one', () => {
    const sut = new DeviceClockEstimator();
    for (let i = 0; i < 5; i++) sut.observe('car', TWO_HOURS + jitter(i));

    expect(sut.heldOffsetFor('car')).toBe(sut.offsetFor('car'));
  });

  it('corrects nothing for a right clock, an offline backlog, an unknown device, messages that disagree or a sample a week ahead', () => {
    const sut = new DeviceClockEstimator();
    sut.observe('week', 7 * 86_400_000);
    sut.observe('right', 3_000);
    sut.observe('backlog', -3_600_000);
    sut.observe('unsure', TWO_HOURS);
    sut.observe('unsure', 10 * 60_000);

    expect(sut.heldOffsetFor('right')).toBe(0);
    expect(sut.heldOffsetFor('backlog')).toBe(0);
    expect(sut.heldOffsetFor('unknown')).toBe(0);
    expect(sut.heldOffsetFor('unsure')).toBe(0);
    expect(sut.heldOffsetFor('week')).toBe(0);
  });
});
