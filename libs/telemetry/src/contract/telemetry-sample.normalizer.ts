import { WHEEL_POSITIONS, type TelemetrySample, type TireMeasurement, type WheelPosition } from '../telemetry-sample.js';
import { type ContractLimits, PLAUSIBLE_RANGES, type RangedField } from './contract-limits.model.js';
import { describeValue, formatNumber, isPlainObject } from './detail-text.js';
import { parseDtcList } from './dtc-list.parser.js';
import {
  type Conversion,
  MAX_VSS_DEPTH,
  NUMERIC_FIELDS,
  type NumericField,
  Precedence,
  TIRE_KEYS,
  type TireMeasure,
  UNIT_VARIANTS,
  VSS_PATHS,
} from './field-aliases.table.js';
import { estimateFuelRate } from './fuel-rate.estimator.js';
import type { Rejection } from './rejection.model.js';
import type { DeviceClockCorrection } from './device-clock.estimator.js';
import { SampleRejectedError } from './sample-rejected.error.js';
import { parseSampleTimestamp } from './sample-timestamp.parser.js';

export type SampleOutcome = { ok: true; sample: TelemetrySample } | { ok: false; rejection: Rejection };

/** One sample object of a message -> a TelemetrySample in canonical units, or why it was refused. */
export function normalizeSample(raw: unknown, receivedAtMs: number, limits: ContractLimits, clock?: DeviceClockCorrection): SampleOutcome {
  try {
    return { ok: true, sample: new SampleReader().read(raw, receivedAtMs, limits, clock) };
  } catch (error) {
    if (error instanceof SampleRejectedError) return { ok: false, rejection: { reason: error.reason, detail: error.message } };
    throw error;
  }
}

/** A value as sent, kept until we know which key wins for its field. */
interface Candidate {
  key: string;
  raw: unknown;
  precedence: Precedence;
  convert?: Conversion;
}

const CANONICAL_FIELDS: ReadonlySet<string> = new Set(NUMERIC_FIELDS);

/**
 * Collects every key of a sample first and validates only the winners afterwards, so a value that
 * a higher-precedence key replaces can neither reject the sample nor leak into it.
 * One rejection per sample (the first problem found): rejected_messages is unique per sample index.
 */
class SampleReader {
  private readonly numeric = new Map<NumericField, Candidate>();
  private readonly tires = new Map<`${WheelPosition}.${TireMeasure}`, Candidate>();
  private dtcs: Candidate | undefined;
  private instantConsumption: Candidate | undefined;
  private displacement: Candidate | undefined;

  read(raw: unknown, receivedAtMs: number, limits: ContractLimits, clock: DeviceClockCorrection | undefined): TelemetrySample {
    if (!isPlainObject(raw)) {
      throw new SampleRejectedError('INVALID_PAYLOAD', `a sample must be a JSON object, got ${describeValue(raw)}`);
    }
    const offsetMs = clock?.offsetMs ?? 0;
    // Checked against the receive time on the device's own clock, stored on ours.
    const deviceTs = parseSampleTimestamp(raw.ts, receivedAtMs + offsetMs, limits, clock?.observe);
    const ts = offsetMs === 0 ? deviceTs : new Date(deviceTs.getTime() - offsetMs);
    const seq = readSeq(raw.seq);
    for (const key of Object.keys(raw)) this.collect(key, raw[key]);
    return this.build(ts, seq);
  }

  private collect(key: string, value: unknown): void {
    // null means "not reported" (common from devices that serialise every field they know).
    if (value === null || value === undefined) return;
    switch (key) {
      case 'ts':
      case 'seq':
        return;
      case 'tires':
        this.collectTires(value);
        return;
      case 'dtcs':
        this.offerDtcs({ key, raw: value, precedence: Precedence.Canonical });
        return;
      case 'engineDisplacementL':
        this.displacement = { key, raw: value, precedence: Precedence.Canonical };
        return;
    }
    if (CANONICAL_FIELDS.has(key)) {
      this.offer(this.numeric, key as NumericField, { key, raw: value, precedence: Precedence.Canonical });
      return;
    }
    const variant = UNIT_VARIANTS.get(key);
    if (variant) {
      this.offer(this.numeric, variant.field, { key, raw: value, precedence: Precedence.UnitVariant, convert: variant.convert });
      return;
    }
    this.collectVss(key, value, 1);
  }

  private collectVss(path: string, value: unknown, depth: number): void {
    const target = VSS_PATHS.get(path);
    if (target) {
      const candidate: Candidate = { key: path, raw: value, precedence: Precedence.Vss };
      if (target.kind === 'numeric') this.offer(this.numeric, target.field, candidate);
      else if (target.kind === 'tirePressure') this.offer(this.tires, `${target.position}.pressureKpa`, candidate);
      else if (target.kind === 'dtcs') this.offerDtcs(candidate);
      else this.instantConsumption = candidate;
      return;
    }
    // Only the Vehicle tree is walked, and not deeper than VSS goes: other objects are unknown fields.
    if (!isPlainObject(value) || depth >= MAX_VSS_DEPTH || !(path === 'Vehicle' || path.startsWith('Vehicle.'))) return;
    for (const key of Object.keys(value)) {
      const child = value[key];
      if (child !== null && child !== undefined) this.collectVss(`${path}.${key}`, child, depth + 1);
    }
  }

  private collectTires(value: unknown): void {
    if (!isPlainObject(value)) {
      throw new SampleRejectedError('INVALID_VALUE', `tires must be an object keyed by FL, FR, RL, RR, got ${describeValue(value)}`);
    }
    for (const position of WHEEL_POSITIONS) {
      const tire = value[position];
      if (tire === null || tire === undefined) continue;
      if (!isPlainObject(tire)) {
        throw new SampleRejectedError(
          'INVALID_VALUE',
          `tires.${position} must be an object like {"treadMm":6.1,"pressureKpa":230}, got ${describeValue(tire)}`,
        );
      }
      for (const key of Object.keys(tire)) {
        const spec = TIRE_KEYS.get(key);
        const raw = tire[key];
        if (!spec || raw === null || raw === undefined) continue;
        this.offer(this.tires, `${position}.${spec.measure}`, {
          key: `tires.${position}.${key}`,
          raw,
          precedence: spec.precedence,
          convert: spec.convert,
        });
      }
    }
  }

  private offer<K>(into: Map<K, Candidate>, field: K, candidate: Candidate): void {
    const current = into.get(field);
    if (!current || candidate.precedence < current.precedence) into.set(field, candidate);
  }

  private offerDtcs(candidate: Candidate): void {
    if (!this.dtcs || candidate.precedence < this.dtcs.precedence) this.dtcs = candidate;
  }

  private build(ts: Date, seq: number): TelemetrySample {
    const sample: TelemetrySample = { ts, seq };
    for (const field of NUMERIC_FIELDS) {
      const candidate = this.numeric.get(field);
      if (candidate) sample[field] = readInRange(candidate, field);
    }
    const displacementL = this.displacement ? readInRange(this.displacement, 'engineDisplacementL') : undefined;
    this.addFuelRate(sample, displacementL);
    const tires = this.buildTires();
    if (tires) sample.tires = tires;
    if (this.dtcs) sample.dtcs = parseDtcList(this.dtcs.key, this.dtcs.raw);
    return sample;
  }

  private addFuelRate(sample: TelemetrySample, engineDisplacementL: number | undefined): void {
    if (sample.fuelRateLph !== undefined) {
      sample.fuelRateEstimated = false;
      return;
    }
    const consumption = this.instantConsumption;
    if (consumption && sample.speedKph !== undefined && sample.speedKph > 0) {
      const litresPer100Km = readNumber(consumption.key, consumption.raw);
      const fuelRateLph = (litresPer100Km * sample.speedKph) / 100;
      const { min, max, unit } = PLAUSIBLE_RANGES.fuelRateLph;
      if (!(fuelRateLph >= min && fuelRateLph <= max)) {
        throw new SampleRejectedError(
          'OUT_OF_RANGE',
          `${consumption.key} ${litresPer100Km} l/100km at ${formatNumber(sample.speedKph)} km/h = ${formatNumber(fuelRateLph)} ${unit} ` +
            `is outside the plausible fuelRateLph range ${min}..${max} ${unit}`,
        );
      }
      sample.fuelRateLph = fuelRateLph;
      sample.fuelRateEstimated = false;
      return;
    }
    const { mafGps, manifoldPressureKpa, rpm, intakeTempC } = sample;
    const estimate = estimateFuelRate({ mafGps, manifoldPressureKpa, rpm, intakeTempC, engineDisplacementL });
    // An estimate beyond what a car can burn means the inputs are off (boost, diesel): better none.
    if (estimate && estimate.fuelRateLph <= PLAUSIBLE_RANGES.fuelRateLph.max) {
      sample.fuelRateLph = estimate.fuelRateLph;
      sample.fuelRateEstimated = true;
    }
  }

  private buildTires(): TelemetrySample['tires'] {
    if (this.tires.size === 0) return undefined;
    const tires: Partial<Record<WheelPosition, TireMeasurement>> = {};
    for (const position of WHEEL_POSITIONS) {
      const tread = this.tires.get(`${position}.treadMm`);
      const pressure = this.tires.get(`${position}.pressureKpa`);
      if (!tread && !pressure) continue;
      const measurement: TireMeasurement = {};
      if (tread) measurement.treadMm = readInRange(tread, 'treadMm');
      if (pressure) measurement.pressureKpa = readInRange(pressure, 'pressureKpa');
      tires[position] = measurement;
    }
    return tires;
  }
}

function readSeq(value: unknown): number {
  if (value === null || value === undefined) {
    throw new SampleRejectedError('MISSING_FIELD', "seq is missing: every sample needs seq, the device's non-negative integer counter");
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new SampleRejectedError('INVALID_VALUE', `seq ${describeValue(value)} must be a non-negative integer up to ${Number.MAX_SAFE_INTEGER}`);
  }
  return value;
}

function readNumber(key: string, raw: unknown): number {
  // JSON.parse turns 1e400 into Infinity, hence isFinite and not only typeof.
  if (typeof raw !== 'number' || !Number.isFinite(raw)) {
    throw new SampleRejectedError('INVALID_VALUE', `${key} must be a finite number, got ${describeValue(raw)}`);
  }
  return raw;
}

function readInRange(candidate: Candidate, field: RangedField): number {
  const raw = readNumber(candidate.key, candidate.raw);
  const value = candidate.convert ? candidate.convert(raw) : raw;
  const { min, max, unit } = PLAUSIBLE_RANGES[field];
  if (value >= min && value <= max) return value;
  const shown = candidate.convert ? `${candidate.key} ${raw} = ${formatNumber(value)} ${unit}` : `${candidate.key} ${raw} ${unit}`;
  const name = candidate.key === field || candidate.key.endsWith(`.${field}`) ? '' : `${field} `;
  throw new SampleRejectedError('OUT_OF_RANGE', `${shown} is outside the plausible ${name}range ${min}..${max} ${unit}`);
}
