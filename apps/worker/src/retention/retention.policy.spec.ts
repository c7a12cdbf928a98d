import { retentionCutoffs } from './retention.policy.js';

const DAY_MS = 86_400_000;
const YEAR_OF_LATENESS = 365 * DAY_MS;

describe(retentionCutoffs.name, () => {
  const now = new Date('2026-11-27T04:00:00.000Z');

  it('keeps telemetry the configured days and rejected messages theirs', () => {
    expect(retentionCutoffs(now, { telemetryDays: 400, rejectedDays: 90 }, YEAR_OF_LATENESS)).toEqual({
      telemetryBefore: new Date(now.getTime() - 400 * DAY_MS),
      rejectedBefore: new Date(now.getTime() - 90 * DAY_MS),
    });
  });

  it('refuses to delete telemetry a late resend could still arrive for (it would be stored twice)', () => {
    expect(() => retentionCutoffs(now, { telemetryDays: 365, rejectedDays: 90 }, YEAR_OF_LATENESS)).toThrow(
      'telemetry retention of 365 days is not longer than the 365 days a sample may be late',
    );
    expect(() => retentionCutoffs(now, { telemetryDays: 366, rejectedDays: 90 }, YEAR_OF_LATENESS)).not.toThrow();
  });
});
