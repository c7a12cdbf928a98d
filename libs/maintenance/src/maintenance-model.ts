// The shared contract of every predictive-maintenance model. Models are pure: they take a vehicle's
// history, their previous state and `now`, and return an assessment with its evidence. No I/O, no clock.

import type { ComponentName, Risk, TelemetrySample, WheelPosition } from './vocabulary/index.js';

export * from './vocabulary/index.js';

export type ServiceKind =
  | 'OIL_CHANGE'
  | 'COOLANT_SERVICE'
  | 'THERMOSTAT_REPLACEMENT'
  | 'TIRE_REPLACEMENT'
  | 'TIRE_ROTATION'
  | 'WHEEL_ALIGNMENT'
  | 'PUNCTURE_REPAIR'
  | 'BATTERY_REPLACEMENT'
  | 'BRAKE_SERVICE'
  | 'AIR_FILTER'
  | 'FUEL_SYSTEM_SERVICE'
  | 'GENERAL_INSPECTION'
  | 'OTHER';

/**
 * One telemetry sample as the models see it. An alias of the one TelemetrySample, not a copy: `seq` is
 * optional because histories built by hand (specs, the evaluation replay) have none; the name stays
 * because some twenty files of models and their specs use it.
 */
export type TelemetryPoint = Omit<TelemetrySample, 'seq'> & { seq?: number };

export interface TireReadingPoint {
  position: WheelPosition;
  ts: Date;
  odometerKm?: number;
  treadMm?: number;
  pressureKpa?: number;
  source: 'DEVICE' | 'INSPECTION';
}

/** A raw device tyre pressure: one wheel, one sample (not the hourly median `tireReadings` carry). */
export interface TirePressurePoint {
  position: WheelPosition;
  ts: Date;
  pressureKpa: number;
}

export interface ServiceEvent {
  kind: ServiceKind;
  performedAt: Date;
  odometerKm?: number;
  /** Wheels the work applied to; empty or missing means all wheels / not applicable. */
  positions?: WheelPosition[];
}

export interface VehicleProfile {
  make: string;
  model: string;
  year: number;
  fuelType: 'PETROL' | 'DIESEL' | 'HYBRID' | 'ELECTRIC' | 'LPG';
  oilServiceIntervalKm: number;
  oilServiceIntervalMonths: number;
}

/** A staff member confirmed that the odometer really changed (instrument cluster replaced) at `effectiveAt`. */
export interface OdometerCorrection {
  effectiveAt: Date;
  /** The new reading at that time: the baseline from then on. */
  odometerKm: number;
  confirmedBy: string;
  confirmedAt: Date;
}

/** What a model gets: a bounded, time-ordered window of history (not the whole life of the car). */
export interface VehicleHistory {
  profile: VehicleProfile;
  /** Ascending by ts; may contain gaps, duplicates of ts, stuck values and odometer glitches. */
  samples: TelemetryPoint[];
  tireReadings: TireReadingPoint[];
  serviceEvents: ServiceEvent[];
  /** Confirmed odometer changes (all of them, not only the window's); absent means none. */
  odometerCorrections?: OdometerCorrection[];
  /**
   * Each wheel's newest raw device pressures (the worker reads the newest RECENT_PRESSURE.count of the last
   * RECENT_PRESSURE.maxAgeHours, tires/pressure-loss.ts): a puncture shows on the first of them, hours before it moves an
   * hourly median. Read whole on every score, like the inspections, so both scoring paths see the same; absent: none.
   */
  recentTirePressures?: TirePressurePoint[];
}

export type Confidence =
  /** A forecast interval, e.g. due between `low` and `high` (days from now or km) at `level` (0-1). */
  | { kind: 'interval'; unit: 'days' | 'km'; level: number; low: number; high: number }
  /** How sure the model is that the finding is real (0-1). */
  | { kind: 'probability'; value: number }
  /** Not enough data to say anything: no forecast is made. */
  | { kind: 'insufficient-data'; reason: string };

/** One thing a model found (e.g. a worn wheel): the unit a reminder is deduplicated on. */
export interface Finding {
  /** Stable machine code, e.g. "TIRE_TREAD_LOW", "COOLANT_DRIFT"; with `subject` forms a dedup key. */
  code: string;
  /** What it applies to within the component, e.g. "FL", "oil", "P0128"; "" when the whole component. */
  subject: string;
  risk: Risk;
  /** Plain English an owner understands: what, why, how soon, what to do. */
  message: string;
  /** The values that message uses, so other languages can be rendered from code + params. */
  params: Record<string, string | number>;
}

export type EvidenceValue = string | number | boolean | null | EvidenceValue[] | { [key: string]: EvidenceValue };

export interface ComponentAssessment {
  component: ComponentName;
  modelVersion: string;
  /** 0 (failed) .. 100 (as new). */
  health: number;
  risk: Risk;
  dueAt?: Date;
  dueOdometerKm?: number;
  confidence: Confidence;
  /** The numbers that drove the assessment (baselines, slopes, counts, window used...). */
  evidence: Record<string, EvidenceValue>;
  /** One or two sentences for an owner; the findings carry the details. */
  explanation: string;
  findings: Finding[];
}

export interface ModelResult<State> {
  assessment: ComponentAssessment;
  /** Persisted per vehicle and component and handed back on the next run. */
  state: State;
}

export interface MaintenanceModel<State = unknown> {
  readonly component: ComponentName;
  readonly version: string;
  assess(history: VehicleHistory, previousState: State | undefined, now: Date): ModelResult<State>;
}
