import type { TelemetrySample } from '#app/telemetry';
import { promptScoreReason } from './prompt-score.policy.js';

const healthy: TelemetrySample = {
  ts: new Date('2026-11-27T08:00:00Z'),
  seq: 1,
  coolantTempC: 91,
  batteryV: 14.1,
  tires: { FL: { pressureKpa: 232, treadMm: 6 }, FR: { pressureKpa: 230 } },
};

describe(promptScoreReason.name, () => {
  it('leaves a healthy sample (and one with nothing in it) to the routine cadence', () => {
    expect(promptScoreReason(healthy)).toBeUndefined();
    expect(promptScoreReason({ ts: healthy.ts, seq: 2, dtcs: [] })).toBeUndefined();
  });

  it('asks for a prompt score on a fault code, an overheating engine, a flat battery or a soft tyre', () => {
    expect(promptScoreReason({ ...healthy, dtcs: ['P0128'] })).toBe('fault code P0128');
    expect(promptScoreReason({ ...healthy, coolantTempC: 105 })).toBe('coolant 105 C');
    expect(promptScoreReason({ ...healthy, batteryV: 11.5 })).toBe('battery 11.5 V');
    expect(promptScoreReason({ ...healthy, tires: { ...healthy.tires, RR: { pressureKpa: 150 } } })).toBe('tyre RR at 150 kPa');
  });

  it('treats the limits themselves as stated: 104.9 C and 180 kPa are routine', () => {
    expect(promptScoreReason({ ...healthy, coolantTempC: 104.9 })).toBeUndefined();
    expect(promptScoreReason({ ...healthy, tires: { FL: { pressureKpa: 180 } } })).toBeUndefined();
  });
});
