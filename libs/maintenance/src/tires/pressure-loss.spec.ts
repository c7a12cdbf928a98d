import type { ComponentAssessment, Finding, TirePressurePoint, VehicleHistory, WheelPosition } from '../maintenance-model.js';
import { aHistory, daysAgo, event, NOW, pressureReadings } from './tire-history.factory.js';
import { TireWearModel } from './tire-wear.model.js';
import type { TireModelState } from './tire-state.js';

const MINUTE_MS = 60_000;
const WHEELS: readonly WheelPosition[] = ['FL', 'FR', 'RL', 'RR'];

/**
 * What a device sends while driving: all four wheels about once a minute (the simulator's TIRE_REPORT_EVERY_MS,
 * a TPMS sensor's rate). `kpa(w, minutesAgo)` per reading; the newest at `minutesAgo` = `newest`.
 */
function recent(kpa: (w: WheelPosition, minutesAgo: number) => number, count = 3, newest = 0, now = NOW): TirePressurePoint[] {
  const out: TirePressurePoint[] = [];
  for (let m = newest + count - 1; m >= newest; m--) {
    for (const w of WHEELS) out.push({ position: w, ts: new Date(now.getTime() - m * MINUTE_MS - 5_000), pressureKpa: kpa(w, m) });
  }
  return out;
}

/** Ten days of a healthy car's hourly pressures (what the worker reads as hourly medians), plus the newest raw ones. */
const withRecent = (pressures: TirePressurePoint[], overrides: Partial<VehicleHistory> = {}): VehicleHistory =>
  aHistory({
    tireReadings: pressureReadings({ days: 10, perDay: 24, temperatureSwingKpa: 10, noiseKpa: 2 }),
    recentTirePressures: pressures,
    ...overrides,
  });

const lossOf = (assessment: ComponentAssessment, wheel: WheelPosition): Finding | undefined =>
  assessment.findings.find((f) => f.subject === wheel && String(f.params.issues).includes('TIRE_PRESSURE_LOSS'));

describe(`${TireWearModel.name}: a pressure loss on the newest readings`, () => {
  const sut = new TireWearModel();

  it('tells a puncture on the first reading that shows it: which wheel, how low, what to do (CRITICAL when flat)', () => {
    const { assessment, state } = sut.assess(withRecent(recent((w, m) => (w === 'FL' && m === 0 ? 140 : 240))), undefined, NOW);
    const fl = lossOf(assessment, 'FL');
    expect(fl).toMatchObject({ code: 'TIRE_PRESSURE_LOSS', risk: 'CRITICAL' });
    expect(fl?.params).toMatchObject({ wheel: 'FL', pressureKpa: 140, referenceKpa: 240, deficitPct: 42, lowReadings: 1 });
    expect(fl?.message).toBe(
      'Front left tyre at 140 kPa, 42 % below the other tyres (240 kPa): it is losing air fast, most likely a puncture. ' +
        'Stop as soon as it is safe and check it: do not drive on it this low (fit the spare or call for assistance). ' +
        'One reading so far: if it was a sensor error, the next reading clears this.',
    );
    expect(assessment.risk).toBe('CRITICAL');
    expect(assessment.explanation).toContain('Front left tyre at 140 kPa');
    // The other wheels: nothing.
    expect(assessment.findings.map((f) => f.subject)).toEqual(['FL']);
    expect((state as { pressure?: unknown }).pressure).toEqual({ FL: { alone: NOW.getTime() - 5_000 } });
  });

  it('is URGENT at the TPMS lamp (25 % below the others), and says so without the lone-reading caveat once two readings agree', () => {
    const { assessment } = sut.assess(withRecent(recent((w, m) => (w === 'RR' && m <= 1 ? 178 : 240))), undefined, NOW);
    const rr = lossOf(assessment, 'RR');
    expect(rr).toMatchObject({ code: 'TIRE_PRESSURE_LOSS', risk: 'URGENT' });
    expect(rr?.params).toMatchObject({ pressureKpa: 178, deficitPct: 26, lowReadings: 2 });
    expect(rr?.message).toMatch(/^Rear right tyre at 178 kPa, 26 % below the other tyres \(240 kPa\) on the last 2 readings: .*inflate it/);
    expect(rr?.message).not.toContain('One reading so far');
  });

  it('does not call all four tyres low together a puncture (a cold morning, a car kept at low pressure)', () => {
    const { assessment } = sut.assess(withRecent(recent(() => 185)), undefined, NOW);
    expect(WHEELS.map((w) => lossOf(assessment, w))).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('leaves a drop under the lamp (20 % below the others) to the hourly inflation and leak analyses', () => {
    const { assessment } = sut.assess(withRecent(recent((w) => (w === 'FL' ? 192 : 240))), undefined, NOW);
    expect(lossOf(assessment, 'FL')).toBeUndefined();
  });

  it('still tells a slow leak over days by its trend (and not as a puncture)', () => {
    const tireReadings = pressureReadings({ days: 10, perDay: 24, temperatureSwingKpa: 15, noiseKpa: 2, leakKpaPerDay: { FL: 4 } });
    // The newest raw readings agree with the hourly ones: the front left 40 kPa (17 %) down after ten days.
    const history = withRecent(
      recent((w) => (w === 'FL' ? 200 : 240)),
      { tireReadings },
    );
    const { assessment } = sut.assess(history, undefined, NOW);
    expect(assessment.findings.find((f) => f.subject === 'FL')).toMatchObject({ code: 'TIRE_SLOW_LEAK', risk: 'SOON' });
    expect(lossOf(assessment, 'FL')).toBeUndefined();
  });

  it('takes a lone low reading back on the next score when the next reading is normal, and holds the next lone one on that wheel back', () => {
    // Score 1: a sensor glitch (150 kPa, 38 % below the others: URGENT), told (the owner hears once).
    const first = sut.assess(withRecent(recent((w, m) => (w === 'FL' && m === 0 ? 150 : 240))), undefined, NOW);
    expect(lossOf(first.assessment, 'FL')?.risk).toBe('URGENT');

    // Score 2, a minute later: the next reading is normal. The finding is gone (its reminder closes), the glitch remembered.
    const later = new Date(NOW.getTime() + MINUTE_MS);
    const second = sut.assess(withRecent(recent((w, m) => (w === 'FL' && m === 1 ? 150 : 240), 3, 0, later)), first.state, later);
    expect(lossOf(second.assessment, 'FL')).toBeUndefined();
    expect(second.assessment.risk).toBe('OK');
    expect((second.state as { pressure?: unknown }).pressure).toEqual({ FL: { glitch: NOW.getTime() - 5_000 } });

    // Two days later the same sensor glitches again: not told, said in the evidence.
    const twoDays = new Date(NOW.getTime() + 2 * 86_400_000);
    const third = sut.assess(withRecent(recent((w, m) => (w === 'FL' && m === 0 ? 150 : 240), 3, 0, twoDays)), second.state, twoDays);
    expect(lossOf(third.assessment, 'FL')).toBeUndefined();
    const evidence = (third.assessment.evidence.wheels as Record<string, { pressureLoss: { heldBack: string | null; told: boolean } }>).FL;
    expect(evidence.pressureLoss).toMatchObject({ told: false, heldBack: expect.stringContaining('was followed by a normal one') });

    // ...but a real loss on that wheel is told on its second low reading.
    const confirm = new Date(twoDays.getTime() + MINUTE_MS);
    const fourth = sut.assess(withRecent(recent((w, m) => (w === 'FL' && m <= 1 ? 150 : 240), 3, 0, confirm)), third.state, confirm);
    expect(lossOf(fourth.assessment, 'FL')).toMatchObject({ risk: 'URGENT', params: expect.objectContaining({ lowReadings: 2 }) });

    // A week after the glitch the wheel is trusted on one reading again.
    const weekLater = new Date(NOW.getTime() + 8 * 86_400_000);
    const fifth = sut.assess(withRecent(recent((w, m) => (w === 'FL' && m === 0 ? 150 : 240), 3, 0, weekLater)), third.state, weekLater);
    expect(lossOf(fifth.assessment, 'FL')?.risk).toBe('URGENT');
  });

  it('decides the same when run again with the state it produced (a rescore of the same readings changes nothing)', () => {
    const history = withRecent(recent((w, m) => (w === 'FL' && m === 0 ? 150 : 240)));
    const once = sut.assess(history, undefined, NOW);
    const twice = sut.assess(history, once.state, NOW);
    expect(twice.assessment).toEqual(once.assessment);
    expect(twice.state).toEqual(once.state);
  });

  it('a low reading confirmed by the next one is a real loss, not a glitch: it stays told while the tyre stays low', () => {
    const first = sut.assess(withRecent(recent((w, m) => (w === 'FL' && m === 0 ? 150 : 240))), undefined, NOW);
    const later = new Date(NOW.getTime() + MINUTE_MS);
    const second = sut.assess(withRecent(recent((w, m) => (w === 'FL' && m <= 1 ? 148 : 240), 3, 0, later)), first.state, later);
    expect(lossOf(second.assessment, 'FL')).toMatchObject({ risk: 'URGENT', params: expect.objectContaining({ lowReadings: 2 }) });
    expect((second.state as TireModelState & { pressure?: unknown }).pressure).toBeUndefined();
  });

  it('starts over after a puncture repair on that wheel', () => {
    const low = recent((w, m) => (w === 'FL' && m === 0 ? 140 : 240), 3, 2);
    const repaired = sut.assess(
      withRecent(low, { serviceEvents: [event('PUNCTURE_REPAIR', new Date(NOW.getTime() - MINUTE_MS), ['FL'])] }),
      undefined,
      NOW,
    );
    expect(lossOf(repaired.assessment, 'FL')).toBeUndefined();
  });

  it('keeps a flat tyre told while the car is parked (a TPMS says nothing then), within 36 hours of its last reading', () => {
    const parked = recent((w, m) => (w === 'FL' && m <= 181 ? 140 : 240), 3, 180);
    expect(lossOf(sut.assess(withRecent(parked), undefined, NOW).assessment, 'FL')).toMatchObject({ risk: 'CRITICAL' });
    const tooOld = recent((w, m) => (w === 'FL' && m <= 37 * 60 + 1 ? 140 : 240), 3, 37 * 60);
    expect(lossOf(sut.assess(withRecent(tooOld), undefined, NOW).assessment, 'FL')).toBeUndefined();
  });

  it("looks at the car's last reporting moment only: a wheel's low reading 40 minutes before the others' newest is not its state now", () => {
    const pressures = [...recent((w) => (w === 'FL' ? 140 : 240), 1, 40), ...recent(() => 240, 3, 0).filter((r) => r.position !== 'FL')];
    expect(lossOf(sut.assess(withRecent(pressures), undefined, NOW).assessment, 'FL')).toBeUndefined();
  });

  it('compares with the hourly pressures of the other wheels when the sample carried the low wheel alone', () => {
    const alone: TirePressurePoint[] = [{ position: 'FL', ts: new Date(NOW.getTime() - 5_000), pressureKpa: 140 }];
    const { assessment } = sut.assess(
      withRecent(alone, { tireReadings: pressureReadings({ days: 10, perDay: 24 }).filter((r) => r.ts < daysAgo(0.5)) }),
      undefined,
      NOW,
    );
    expect(lossOf(assessment, 'FL')).toMatchObject({ risk: 'CRITICAL', params: expect.objectContaining({ referenceKpa: 240 }) });
  });
});
