import { round, roundOrNull } from './rounding.js';

describe(round.name, () => {
  it('rounds to two digits unless told otherwise', () => {
    expect(round(12.345678)).toBe(12.35);
    expect(round(12.345678, 1)).toBe(12.3);
    expect(round(0.0123456, 3)).toBe(0.012);
  });

  it('gives what the per-model copies gave (Math.round(x * 10^d) / 10^d), negatives included', () => {
    for (const x of [-2.25, -0.05, 0.05, 1.45, 13.95, 1234.5678]) {
      expect(round(x, 1)).toBe(Math.round(x * 10) / 10);
      expect(round(x, 3)).toBe(Math.round(x * 1000) / 1000);
    }
  });
});

describe(roundOrNull.name, () => {
  it('keeps a missing value missing and rounds a present one', () => {
    expect(roundOrNull(null)).toBeNull();
    expect(roundOrNull(14.2049)).toBe(14.2);
    expect(roundOrNull(0.12345, 3)).toBe(0.123);
  });
});
