/** Test data for the device contract: valid by default, override what the test is about. */
export const VIN = 'LCHDEM00000000001';
export const TOPIC = `vehicles/${VIN}/telemetry`;
export const RECEIVED_AT = new Date('2026-11-26T08:01:00.000Z');
export const SAMPLE_TS = '2026-11-26T08:00:00.000Z';

export type RawSample = Record<string, unknown>;

let nextSeq = 1;

export function aSample(overrides: RawSample = {}): RawSample {
  return { ts: SAMPLE_TS, seq: nextSeq++, ...overrides };
}

export function aBatch(...samples: unknown[]): { samples: unknown[] } {
  return { samples };
}

export function encode(document: unknown): Buffer {
  return Buffer.from(typeof document === 'string' ? document : JSON.stringify(document), 'utf8');
}
