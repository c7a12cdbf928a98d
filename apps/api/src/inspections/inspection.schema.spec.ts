import { CLOCK_SKEW_MS } from '../vehicle-health/past-instant.schema.js';
import { createInspectionSchema } from './inspection.schema.js';

const body = (overrides: Record<string, unknown> = {}) => ({
  measuredAt: '2025-11-20T09:30:00+08:00',
  odometerKm: 48_211.4,
  tires: { FL: { treadMm: 6.1, pressureKpa: 230 } },
  ...overrides,
});

const messages = (input: unknown) => {
  const parsed = createInspectionSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('createInspectionSchema', () => {
  const sut = createInspectionSchema;

  it('accepts the device-contract tire shape with a time-zone offset and returns a Date', () => {
    const parsed = sut.parse(body({ tires: { FL: { treadMm: 0 }, FR: {}, RR: { pressureKpa: 1000 } } }));

    expect(parsed.measuredAt.toISOString()).toBe('2025-11-20T01:30:00.000Z');
    expect(parsed.tires).toEqual({ FL: { treadMm: 0 }, FR: {}, RR: { pressureKpa: 1000 } });
  });

  it('tolerates a clock a few seconds ahead but not a measurement in the future', () => {
    expect(messages(body({ measuredAt: new Date(Date.now() + CLOCK_SKEW_MS / 2).toISOString() }))).toEqual([]);
    expect(messages(body({ measuredAt: new Date(Date.now() + 2 * CLOCK_SKEW_MS).toISOString() }))).toEqual(['measuredAt: must not be in the future']);
  });

  it('names each out-of-range value, unknown wheel and unknown field', () => {
    expect(messages(body({ tires: { FL: { treadMm: -1 }, RR: { pressureKpa: 1001 }, XX: { treadMm: 5 } }, colour: 'red' })).sort()).toEqual([
      ': Unrecognized key: "colour"',
      'tires.FL.treadMm: tread depth must be between 0 and 20 mm',
      'tires.RR.pressureKpa: pressure must be between 0 and 1000 kPa',
      'tires: Unrecognized key: "XX"',
    ]);
  });

  it('requires a date-time with an offset and an odometer', () => {
    expect(messages({ measuredAt: '2025-11-20 09:30', tires: { FL: { treadMm: 5 } } }).sort()).toEqual([
      'measuredAt: must be an ISO-8601 date-time with a time zone offset',
      'odometerKm: Invalid input: expected number, received undefined',
    ]);
  });
});
