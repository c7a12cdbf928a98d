import { DEFAULT_CONTRACT_LIMITS } from './contract-limits.model.js';
import { aBatch, aSample, encode, RECEIVED_AT, SAMPLE_TS, TOPIC, VIN } from './telemetry-payload.factory.js';
import { type ParsedMessage, parseTelemetryMessage } from './telemetry-message.parser.js';

const parse = (document: unknown, topic = TOPIC, limits = DEFAULT_CONTRACT_LIMITS): ParsedMessage =>
  parseTelemetryMessage(topic, encode(document), RECEIVED_AT, limits);

function refused(parsed: ParsedMessage) {
  if (parsed.ok) throw new Error(`expected a refused message, got ${JSON.stringify(parsed)}`);
  return parsed;
}

function accepted(parsed: ParsedMessage) {
  if (!parsed.ok) throw new Error(`expected an accepted message, got ${JSON.stringify(parsed.rejection)}`);
  return parsed;
}

describe(parseTelemetryMessage.name, () => {
  describe('accepts', () => {
    it('the example sample of the contract, normalised', () => {
      const sut = accepted(
        parse({
          ts: SAMPLE_TS,
          seq: 1042,
          odometerKm: 48211.4,
          speedKph: 62,
          rpm: 2100,
          coolantTempC: 91.5,
          fuelRateLph: 4.2,
          batteryV: 14.1,
          tires: { FL: { treadMm: 6.1, pressureKpa: 230 }, FR: {}, RL: {}, RR: {} },
          dtcs: ['P0128'],
        }),
      );

      expect(sut).toEqual({
        ok: true,
        vin: VIN,
        rejections: [],
        samples: [
          {
            ts: new Date(SAMPLE_TS),
            seq: 1042,
            odometerKm: 48211.4,
            speedKph: 62,
            rpm: 2100,
            coolantTempC: 91.5,
            fuelRateLph: 4.2,
            fuelRateEstimated: false,
            batteryV: 14.1,
            tires: { FL: { treadMm: 6.1, pressureKpa: 230 } },
            dtcs: ['P0128'],
          },
        ],
      });
    });

    it('a batch, keeping the order of its samples', () => {
      const sut = accepted(parse(aBatch(aSample({ seq: 7 }), aSample({ seq: 8 }), aSample({ seq: 9 }))));

      expect(sut.samples.map((sample) => sample.seq)).toEqual([7, 8, 9]);
      expect(sut.rejections).toEqual([]);
    });

    it('ts as epoch milliseconds the same as the ISO-8601 form', () => {
      const iso = accepted(parse(aSample({ ts: '2026-11-26T09:00:00.250+01:00' })));
      const epoch = accepted(parse(aSample({ ts: Date.parse('2026-11-26T08:00:00.250Z') })));

      expect(iso.samples[0]!.ts).toEqual(new Date('2026-11-26T08:00:00.250Z'));
      expect(epoch.samples[0]!.ts).toEqual(new Date('2026-11-26T08:00:00.250Z'));
    });

    it('a lower-case VIN in the topic, upper-cased', () => {
      expect(accepted(parse(aSample(), `vehicles/${VIN.toLowerCase()}/telemetry`)).vin).toBe(VIN);
    });

    it('a Uint8Array payload and a leading byte-order mark', () => {
      const bytes = new Uint8Array(encode(`\uFEFF${JSON.stringify(aSample({ seq: 3 }))}`));

      const sut = accepted(parseTelemetryMessage(TOPIC, bytes, RECEIVED_AT));

      expect(sut.samples[0]!.seq).toBe(3);
    });

    it('a clock up to the allowed skew ahead, and samples up to the maximum age', () => {
      const ahead = RECEIVED_AT.getTime() + DEFAULT_CONTRACT_LIMITS.maxFutureSkewMs;
      const oldest = RECEIVED_AT.getTime() - DEFAULT_CONTRACT_LIMITS.maxAgeMs;

      expect(accepted(parse(aBatch(aSample({ ts: ahead }), aSample({ ts: oldest })))).samples).toHaveLength(2);
    });
  });

  describe('refuses the whole message', () => {
    it('on a topic that is not vehicles/{vin}/telemetry (BAD_TOPIC)', () => {
      const sut = refused(parse(aSample(), `vehicles/${VIN}/status`));

      expect(sut.vin).toBeUndefined();
      expect(sut.rejection).toEqual({ reason: 'BAD_TOPIC', detail: `topic "vehicles/${VIN}/status" is not vehicles/{vin}/telemetry` });
    });

    it('on a malformed VIN in the topic (INVALID_VALUE)', () => {
      const sut = refused(parse(aSample(), 'vehicles/LCHDEM0000000000I/telemetry'));

      expect(sut.rejection.reason).toBe('INVALID_VALUE');
      expect(sut.rejection.detail).toBe(
        'VIN "LCHDEM0000000000I" in topic "vehicles/LCHDEM0000000000I/telemetry" is not a VIN: 17 characters from 0-9 and A-Z without I, O, Q expected',
      );
    });

    it('larger than the payload limit (PAYLOAD_TOO_LARGE)', () => {
      const limits = { ...DEFAULT_CONTRACT_LIMITS, maxPayloadBytes: 64 };
      const document = aSample({ padding: 'x'.repeat(100) });

      const sut = refused(parse(document, TOPIC, limits));

      expect(sut).toEqual({
        ok: false,
        vin: VIN,
        rejection: { reason: 'PAYLOAD_TOO_LARGE', detail: `payload is ${encode(document).length} bytes; the limit is 64 bytes` },
      });
    });

    it('that is not JSON (MALFORMED_JSON)', () => {
      const sut = refused(parse('{"ts": "2026-11-26T08:00:00Z", "seq": 1,'));

      expect(sut.rejection.reason).toBe('MALFORMED_JSON');
      expect(sut.rejection.detail).toMatch(/^payload is not JSON: /);
    });

    it('that is empty or not UTF-8 (MALFORMED_JSON)', () => {
      const empty = refused(parseTelemetryMessage(TOPIC, Buffer.alloc(0), RECEIVED_AT));
      const latin1 = refused(parseTelemetryMessage(TOPIC, Buffer.from('{"note":"caf\xe9"}', 'latin1'), RECEIVED_AT));

      expect(empty.rejection).toEqual({ reason: 'MALFORMED_JSON', detail: 'payload is empty; a JSON sample or {"samples":[...]} is expected' });
      expect(latin1.rejection).toEqual({ reason: 'MALFORMED_JSON', detail: 'payload is not valid UTF-8' });
    });

    it.each([
      ['an array', [aSample()], 'payload must be a sample object or {"samples":[...]}, got an array'],
      ['a number', 42, 'payload must be a sample object or {"samples":[...]}, got 42'],
      ['null', null, 'payload must be a sample object or {"samples":[...]}, got null'],
      ['samples that is not an array', { samples: { seq: 1 } }, 'samples must be an array of sample objects, got an object'],
      ['an empty batch', { samples: [] }, 'samples is empty; send at least one sample'],
    ])('that is %s (INVALID_PAYLOAD)', (_, document, detail) => {
      expect(refused(parse(document)).rejection).toEqual({ reason: 'INVALID_PAYLOAD', detail });
    });

    it('with more samples than the limit (TOO_MANY_SAMPLES)', () => {
      const samples = Array.from({ length: DEFAULT_CONTRACT_LIMITS.maxSamplesPerMessage + 1 }, (_, seq) => aSample({ seq }));

      const sut = refused(parse(aBatch(...samples)));

      expect(sut.rejection).toEqual({ reason: 'TOO_MANY_SAMPLES', detail: 'samples holds 501 samples; the limit is 500 per message' });
    });

    it('when its only sample breaks the contract, with no sample index', () => {
      const sut = refused(parse({ ts: SAMPLE_TS }));

      expect(sut).toEqual({
        ok: false,
        vin: VIN,
        rejection: { reason: 'MISSING_FIELD', detail: "seq is missing: every sample needs seq, the device's non-negative integer counter" },
      });
    });
  });

  describe('refuses one sample of a batch and keeps the others', () => {
    const rejectionOfMiddle = (bad: unknown) => {
      const sut = accepted(parse(aBatch(aSample({ seq: 1 }), bad, aSample({ seq: 3 }))));
      expect(sut.samples.map((sample) => sample.seq)).toEqual([1, 3]);
      expect(sut.rejections).toHaveLength(1);
      return sut.rejections[0];
    };

    it('when it is not an object (INVALID_PAYLOAD)', () => {
      expect(rejectionOfMiddle('hello')).toEqual({
        reason: 'INVALID_PAYLOAD',
        detail: 'a sample must be a JSON object, got "hello"',
        sampleIndex: 1,
      });
    });

    it('without ts (MISSING_FIELD)', () => {
      expect(rejectionOfMiddle({ seq: 2 })).toEqual({
        reason: 'MISSING_FIELD',
        detail: 'ts is missing: every sample needs ts (ISO-8601 or epoch milliseconds)',
        sampleIndex: 1,
      });
    });

    it('with a negative seq (INVALID_VALUE)', () => {
      expect(rejectionOfMiddle(aSample({ seq: -2 }))).toEqual({
        reason: 'INVALID_VALUE',
        detail: 'seq -2 must be a non-negative integer up to 9007199254740991',
        sampleIndex: 1,
      });
    });

    it('with a number sent as a string (INVALID_VALUE)', () => {
      expect(rejectionOfMiddle(aSample({ seq: 2, speedKph: '62' }))).toEqual({
        reason: 'INVALID_VALUE',
        detail: 'speedKph must be a finite number, got "62"',
        sampleIndex: 1,
      });
    });

    it('with a number too large for a double (INVALID_VALUE)', () => {
      const sut = accepted(parseTelemetryMessage(TOPIC, encode(`{"samples":[{"ts":"${SAMPLE_TS}","seq":2,"rpm":1e400}]}`), RECEIVED_AT));

      expect(sut.rejections).toEqual([{ reason: 'INVALID_VALUE', detail: 'rpm must be a finite number, got Infinity', sampleIndex: 0 }]);
    });

    it('with a timestamp that is not ISO-8601 (INVALID_VALUE)', () => {
      expect(rejectionOfMiddle(aSample({ seq: 2, ts: '26/11/2026 08:00' }))).toEqual({
        reason: 'INVALID_VALUE',
        detail: 'ts "26/11/2026 08:00" is not an ISO-8601 time with a zone (e.g. 2026-11-26T08:00:00.000Z) nor epoch milliseconds',
        sampleIndex: 1,
      });
    });

    it('with a trouble code that is not OBD-II (INVALID_VALUE)', () => {
      expect(rejectionOfMiddle(aSample({ seq: 2, dtcs: ['P0128', 'X0301'] }))).toEqual({
        reason: 'INVALID_VALUE',
        detail: 'dtcs[1] "X0301" is not an OBD-II trouble code (P, C, B or U, a digit 0-3 and three hex digits, e.g. P0128)',
        sampleIndex: 1,
      });
    });

    it('with a value outside its plausible range (OUT_OF_RANGE)', () => {
      expect(rejectionOfMiddle(aSample({ seq: 2, coolantTempC: 250 }))).toEqual({
        reason: 'OUT_OF_RANGE',
        detail: 'coolantTempC 250 °C is outside the plausible range -40..215 °C',
        sampleIndex: 1,
      });
    });

    it('with a converted value outside the range, naming both units (OUT_OF_RANGE)', () => {
      expect(rejectionOfMiddle(aSample({ seq: 2, speedMph: 200 }))).toEqual({
        reason: 'OUT_OF_RANGE',
        detail: 'speedMph 200 = 321.87 km/h is outside the plausible speedKph range 0..300 km/h',
        sampleIndex: 1,
      });
    });

    it('with a tire pressure outside the range (OUT_OF_RANGE)', () => {
      expect(rejectionOfMiddle(aSample({ seq: 2, tires: { RR: { pressureKpa: 1200 } } }))).toEqual({
        reason: 'OUT_OF_RANGE',
        detail: 'tires.RR.pressureKpa 1200 kPa is outside the plausible range 0..1000 kPa',
        sampleIndex: 1,
      });
    });

    it('with a clock too far ahead (CLOCK_IN_FUTURE)', () => {
      expect(rejectionOfMiddle(aSample({ seq: 2, ts: '2026-11-26T08:10:00Z' }))).toEqual({
        reason: 'CLOCK_IN_FUTURE',
        detail:
          'ts 2026-11-26T08:10:00.000Z is 9 min ahead of the receive time 2026-11-26T08:01:00.000Z; the device clock may be at most 5 min ahead',
        sampleIndex: 1,
      });
    });

    it('older than the maximum age (CLOCK_TOO_OLD)', () => {
      expect(rejectionOfMiddle(aSample({ seq: 2, ts: '2025-06-01T00:00:00Z' }))).toEqual({
        reason: 'CLOCK_TOO_OLD',
        detail: 'ts 2025-06-01T00:00:00.000Z is 543 days older than the receive time; samples may be at most 365 days old',
        sampleIndex: 1,
      });
    });

    it('with epoch seconds instead of milliseconds, saying so (CLOCK_TOO_OLD)', () => {
      const rejection = rejectionOfMiddle(aSample({ seq: 2, ts: Math.floor(RECEIVED_AT.getTime() / 1000) }));

      expect(rejection?.reason).toBe('CLOCK_TOO_OLD');
      expect(rejection?.detail).toMatch(/\(it looks like epoch seconds; ts must be epoch milliseconds\)$/);
    });

    it('that repeats the seq of an earlier sample (DUPLICATE_SEQ_IN_MESSAGE)', () => {
      const sut = accepted(parse(aBatch(aSample({ seq: 5, rpm: 800 }), aSample({ seq: 6 }), aSample({ seq: 5, rpm: 900 }))));

      expect(sut.samples.map((sample) => [sample.seq, sample.rpm])).toEqual([
        [5, 800],
        [6, undefined],
      ]);
      expect(sut.rejections).toEqual([
        { reason: 'DUPLICATE_SEQ_IN_MESSAGE', detail: 'seq 5 is used twice in this message (samples 0 and 2); the first is kept', sampleIndex: 2 },
      ]);
    });

    it('reporting each bad sample of a batch at its own index', () => {
      const sut = accepted(parse(aBatch({ seq: 1 }, aSample({ seq: 2 }), aSample({ seq: 3, rpm: -1 }), 7)));

      expect(sut.samples.map((sample) => sample.seq)).toEqual([2]);
      expect(sut.rejections.map(({ reason, sampleIndex }) => [reason, sampleIndex])).toEqual([
        ['MISSING_FIELD', 0],
        ['OUT_OF_RANGE', 2],
        ['INVALID_PAYLOAD', 3],
      ]);
    });
  });

  it('uses the limits it is given', () => {
    const limits = { ...DEFAULT_CONTRACT_LIMITS, maxSamplesPerMessage: 2, maxFutureSkewMs: 0 };

    expect(refused(parse(aBatch(aSample(), aSample(), aSample()), TOPIC, limits)).rejection.reason).toBe('TOO_MANY_SAMPLES');
    expect(refused(parse(aSample({ ts: RECEIVED_AT.getTime() + 1 }), TOPIC, limits)).rejection.reason).toBe('CLOCK_IN_FUTURE');
  });
});
