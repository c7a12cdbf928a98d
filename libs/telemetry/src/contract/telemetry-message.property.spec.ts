import fc from 'fast-check';
import { REJECTION_REASONS } from './rejection.model.js';
import { encode, RECEIVED_AT, SAMPLE_TS, TOPIC } from './telemetry-payload.factory.js';
import { type ParsedMessage, parseTelemetryMessage } from './telemetry-message.parser.js';

const KNOWN_REASONS: ReadonlySet<string> = new Set(REJECTION_REASONS);

/** What every result must look like, whatever came in. */
function expectWellFormed(parsed: ParsedMessage): void {
  if (parsed.ok) {
    for (const sample of parsed.samples) {
      expect(Number.isSafeInteger(sample.seq)).toBe(true);
      expect(Number.isNaN(sample.ts.getTime())).toBe(false);
    }
    for (const rejection of parsed.rejections) {
      expect(KNOWN_REASONS.has(rejection.reason)).toBe(true);
      expect(rejection.sampleIndex).toEqual(expect.any(Number));
    }
  } else {
    expect(KNOWN_REASONS.has(parsed.rejection.reason)).toBe(true);
    expect(parsed.rejection.detail.length).toBeGreaterThan(0);
    // The parser's last-resort catch must never be what handled the input.
    expect(parsed.rejection.detail).not.toMatch(/^the payload could not be read/);
  }
}

// Keys the contract reads, so arbitrary objects hit the validation paths and not only "unknown field".
const contractKey = fc.constantFrom(
  'ts',
  'seq',
  'speedKph',
  'speedMph',
  'rpm',
  'coolantTempF',
  'mafGps',
  'manifoldPressureKpa',
  'intakeTempC',
  'engineDisplacementL',
  'fuelRateLph',
  'tires',
  'dtcs',
  'samples',
  'Vehicle',
  'Vehicle.Speed',
  'Vehicle.OBD',
  'Vehicle.OBD.DTCList',
  'Vehicle.Powertrain.FuelSystem.InstantConsumption',
  'FL',
  'pressurePsi',
  'MAF',
  '__proto__',
  'constructor',
);
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, 0, -1, 1e308, 42.5, SAMPLE_TS, 'P0128', 'x', 1795680000000),
    fc.double(),
    fc.integer(),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(contractKey, fc.string()), tie('value'), { maxKeys: 6 }),
  ),
})).value;

describe(`${parseTelemetryMessage.name} (properties)`, () => {
  it('never throws on arbitrary bytes and topics', () => {
    fc.assert(
      fc.property(fc.string(), fc.uint8Array({ maxLength: 512 }), fc.date({ noInvalidDate: false }), (topic, payload, receivedAt) => {
        expectWellFormed(parseTelemetryMessage(topic, payload, receivedAt));
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary JSON, shaped like samples and batches', () => {
    fc.assert(
      fc.property(jsonish, fc.boolean(), (document, asBatch) => {
        const payload = encode(JSON.stringify(asBatch ? { samples: [document, document] } : document) ?? 'null');
        expectWellFormed(parseTelemetryMessage(TOPIC, payload, RECEIVED_AT));
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on deeply nested VSS objects', () => {
    const deep = `{"ts":"${SAMPLE_TS}","seq":1,"Vehicle":${'{"Vehicle":'.repeat(20_000)}1${'}'.repeat(20_000)}}`;

    expectWellFormed(parseTelemetryMessage(TOPIC, encode(deep), RECEIVED_AT));
  });

  it('accepts every sample whose fields are within range, whatever their values', () => {
    const validSample = fc.record(
      {
        ts: fc.integer({ min: RECEIVED_AT.getTime() - 86_400_000, max: RECEIVED_AT.getTime() }),
        seq: fc.nat(),
        speedKph: fc.double({ min: 0, max: 300, noNaN: true }),
        rpm: fc.double({ min: 0, max: 16_383, noNaN: true }),
        coolantTempC: fc.double({ min: -40, max: 215, noNaN: true }),
        mafGps: fc.double({ min: 0, max: 655.35, noNaN: true }),
      },
      { requiredKeys: ['ts', 'seq'] },
    );

    fc.assert(
      fc.property(validSample, (sample) => {
        const parsed = parseTelemetryMessage(TOPIC, encode(sample), RECEIVED_AT);
        // Compared with what JSON carries: it has no -0.
        const sent = JSON.parse(JSON.stringify(sample)) as typeof sample;
        expect(parsed).toMatchObject({ ok: true, rejections: [] });
        if (parsed.ok) expect(parsed.samples[0]).toMatchObject({ ...sent, ts: new Date(sample.ts) });
      }),
      { numRuns: 1000 },
    );
  });
});
