import { FAILED_COOLING_SHIFT_C, faultEffects, SPIKES_FAIL_FOR_GOOD_PER_HOUR } from './fault.model.js';

const DAY = 86_400_000;
const EPOCH = Date.UTC(2026, 2, 2);

describe(faultEffects.name, () => {
  it('steps the coolant set-point at the onset of a coolant step, not before', () => {
    const faults = [{ kind: 'coolant-step' as const, onsetDays: 10, rate: 11 }];

    expect(faultEffects(faults, EPOCH, EPOCH + 9.9 * DAY).setPointShiftC).toBe(0);
    expect(faultEffects(faults, EPOCH, EPOCH + 10 * DAY).setPointShiftC).toBe(11);
  });

  it('punctures the front-left tyre at its onset, to the cold pressure given, and keeps it there', () => {
    const faults = [{ kind: 'puncture' as const, onsetDays: 0.5, rate: 130 }];

    expect(faultEffects(faults, EPOCH, EPOCH + 0.49 * DAY).puncturedKpa).toEqual({});
    expect(faultEffects(faults, EPOCH, EPOCH + 0.5 * DAY).puncturedKpa).toEqual({ FL: 130 });
    expect(faultEffects(faults, EPOCH, EPOCH + 3 * DAY).puncturedKpa).toEqual({ FL: 130 });
  });

  it('ramps overheat spikes per driving hour from the onset, then fails for good', () => {
    const faults = [{ kind: 'overheat-spikes' as const, onsetDays: 10, rate: 0.1 }];

    expect(faultEffects(faults, EPOCH, EPOCH + 5 * DAY)).toMatchObject({ spikesPerDrivingHour: 0, setPointShiftC: 0 });
    expect(faultEffects(faults, EPOCH, EPOCH + 15 * DAY)).toMatchObject({ spikesPerDrivingHour: 0.5, setPointShiftC: 0 });
    const failed = faultEffects(faults, EPOCH, EPOCH + (10 + SPIKES_FAIL_FOR_GOOD_PER_HOUR / 0.1) * DAY);
    expect(failed.setPointShiftC).toBe(FAILED_COOLING_SHIFT_C);
  });
});
