import { partitionsPastRetention, retentionCutoffs } from './retention.policy.js';

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

describe(partitionsPastRetention.name, () => {
  const day = (iso: string) => ({ name: `telemetry_samples_p${iso.replaceAll('-', '')}`, day: new Date(`${iso}T00:00:00.000Z`) });

  it('drops a day only once all of it is past the cutoff, never the day holding the cutoff', () => {
    const partitions = [day('2025-10-21'), day('2025-10-22'), day('2025-10-23'), day('2025-10-24')];

    expect(partitionsPastRetention(partitions, new Date('2025-10-23T13:00:00.000Z')).map((p) => p.name)).toEqual([
      'telemetry_samples_p20251021',
      'telemetry_samples_p20251022',
    ]);
    expect(partitionsPastRetention(partitions, new Date('2025-10-23T00:00:00.000Z')).map((p) => p.name)).toEqual([
      'telemetry_samples_p20251021',
      'telemetry_samples_p20251022',
    ]);
    expect(partitionsPastRetention(partitions, new Date('2025-10-22T23:59:59.999Z')).map((p) => p.name)).toEqual(['telemetry_samples_p20251021']);
  });
});
