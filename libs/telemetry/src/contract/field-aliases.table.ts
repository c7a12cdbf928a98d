import type { WheelPosition } from '../telemetry-sample.js';

/** The scalar fields of TelemetrySample, in canonical units. */
export const NUMERIC_FIELDS = [
  'odometerKm',
  'speedKph',
  'rpm',
  'coolantTempC',
  'fuelRateLph',
  'batteryV',
  'engineLoadPct',
  'intakeTempC',
  'mafGps',
  'manifoldPressureKpa',
  'throttlePct',
  'ambientTempC',
] as const;
export type NumericField = (typeof NUMERIC_FIELDS)[number];

/**
 * When one sample gives a field twice, the lower number wins and the other key is ignored:
 * a device that sends both `speedKph` and `speedMph` (rounded differently) is not refused for it.
 */
export const Precedence = { Canonical: 0, UnitVariant: 1, Vss: 2 } as const;
export type Precedence = (typeof Precedence)[keyof typeof Precedence];

export type Conversion = (value: number) => number;

const KM_PER_MILE = 1.609344;
const KPA_PER_PSI = 6.894757293168;
const KPA_PER_BAR = 100;
const MM_PER_32ND_INCH = 25.4 / 32;
const LITRES_PER_US_GALLON = 3.785411784;
const fahrenheitToCelsius: Conversion = (f) => ((f - 32) * 5) / 9;

/**
 * Unit variants accepted besides the canonical keys:
 *
 * | key            | unit          | becomes             | conversion             |
 * |----------------|---------------|---------------------|------------------------|
 * | odometerMi     | mile          | odometerKm          | x 1.609344             |
 * | speedMph       | mile/h        | speedKph            | x 1.609344             |
 * | coolantTempF   | °F            | coolantTempC        | (F - 32) x 5/9         |
 * | intakeTempF    | °F            | intakeTempC         | (F - 32) x 5/9         |
 * | ambientTempF   | °F            | ambientTempC        | (F - 32) x 5/9         |
 * | fuelRateGph    | US gallon/h   | fuelRateLph         | x 3.785411784          |
 * | manifoldPressurePsi | psi      | manifoldPressureKpa | x 6.894757             |
 * | tires.*.pressurePsi | psi      | pressureKpa         | x 6.894757             |
 * | tires.*.pressureBar | bar      | pressureKpa         | x 100                  |
 * | tires.*.treadIn32   | 1/32 inch| treadMm             | x 0.79375              |
 */
export const UNIT_VARIANTS: ReadonlyMap<string, { field: NumericField; convert: Conversion }> = new Map([
  ['odometerMi', { field: 'odometerKm', convert: (mi: number) => mi * KM_PER_MILE }],
  ['speedMph', { field: 'speedKph', convert: (mph: number) => mph * KM_PER_MILE }],
  ['coolantTempF', { field: 'coolantTempC', convert: fahrenheitToCelsius }],
  ['intakeTempF', { field: 'intakeTempC', convert: fahrenheitToCelsius }],
  ['ambientTempF', { field: 'ambientTempC', convert: fahrenheitToCelsius }],
  ['fuelRateGph', { field: 'fuelRateLph', convert: (gph: number) => gph * LITRES_PER_US_GALLON }],
  ['manifoldPressurePsi', { field: 'manifoldPressureKpa', convert: (psi: number) => psi * KPA_PER_PSI }],
]);

export type TireMeasure = 'treadMm' | 'pressureKpa';

/** Keys inside `tires.{FL,FR,RL,RR}`. */
export const TIRE_KEYS: ReadonlyMap<string, { measure: TireMeasure; precedence: Precedence; convert?: Conversion }> = new Map([
  ['treadMm', { measure: 'treadMm', precedence: Precedence.Canonical }],
  ['pressureKpa', { measure: 'pressureKpa', precedence: Precedence.Canonical }],
  ['treadIn32', { measure: 'treadMm', precedence: Precedence.UnitVariant, convert: (n: number) => n * MM_PER_32ND_INCH }],
  ['pressurePsi', { measure: 'pressureKpa', precedence: Precedence.UnitVariant, convert: (psi: number) => psi * KPA_PER_PSI }],
  ['pressureBar', { measure: 'pressureKpa', precedence: Precedence.UnitVariant, convert: (bar: number) => bar * KPA_PER_BAR }],
]);

export type VssTarget =
  { kind: 'numeric'; field: NumericField } | { kind: 'dtcs' } | { kind: 'tirePressure'; position: WheelPosition } | { kind: 'instantConsumption' };

/**
 * COVESA Vehicle Signal Specification paths, accepted flat (`"Vehicle.Speed": 62`) or nested
 * (`{"Vehicle":{"Speed":62}}`). Every one listed is in our canonical unit already, except
 * InstantConsumption (l/100km), which becomes L/h only together with a non-zero speed in the same
 * sample: at standstill l/100km says nothing about flow.
 * Older VSS names (3.x) are kept because deployed devices still send them.
 */
export const VSS_PATHS: ReadonlyMap<string, VssTarget> = new Map<string, VssTarget>([
  ['Vehicle.Speed', { kind: 'numeric', field: 'speedKph' }],
  ['Vehicle.TraveledDistance', { kind: 'numeric', field: 'odometerKm' }],
  ['Vehicle.TravelledDistance', { kind: 'numeric', field: 'odometerKm' }],
  ['Vehicle.Powertrain.CombustionEngine.Speed', { kind: 'numeric', field: 'rpm' }],
  ['Vehicle.Powertrain.CombustionEngine.EngineCoolant.Temperature', { kind: 'numeric', field: 'coolantTempC' }],
  ['Vehicle.Powertrain.CombustionEngine.EngineCoolantTemperature', { kind: 'numeric', field: 'coolantTempC' }],
  ['Vehicle.Powertrain.CombustionEngine.ECT', { kind: 'numeric', field: 'coolantTempC' }],
  ['Vehicle.Powertrain.FuelSystem.InstantConsumption', { kind: 'instantConsumption' }],
  ['Vehicle.LowVoltageBattery.CurrentVoltage', { kind: 'numeric', field: 'batteryV' }],
  ['Vehicle.Exterior.AirTemperature', { kind: 'numeric', field: 'ambientTempC' }],
  ['Vehicle.OBD.Speed', { kind: 'numeric', field: 'speedKph' }],
  ['Vehicle.OBD.EngineSpeed', { kind: 'numeric', field: 'rpm' }],
  ['Vehicle.OBD.CoolantTemperature', { kind: 'numeric', field: 'coolantTempC' }],
  ['Vehicle.OBD.FuelRate', { kind: 'numeric', field: 'fuelRateLph' }],
  ['Vehicle.OBD.ControlModuleVoltage', { kind: 'numeric', field: 'batteryV' }],
  ['Vehicle.OBD.EngineLoad', { kind: 'numeric', field: 'engineLoadPct' }],
  ['Vehicle.OBD.IntakeTemp', { kind: 'numeric', field: 'intakeTempC' }],
  ['Vehicle.OBD.MAF', { kind: 'numeric', field: 'mafGps' }],
  ['Vehicle.OBD.MAP', { kind: 'numeric', field: 'manifoldPressureKpa' }],
  ['Vehicle.OBD.ThrottlePosition', { kind: 'numeric', field: 'throttlePct' }],
  ['Vehicle.OBD.AmbientAirTemperature', { kind: 'numeric', field: 'ambientTempC' }],
  ['Vehicle.OBD.DTCList', { kind: 'dtcs' }],
  ['Vehicle.Chassis.Axle.Row1.Wheel.Left.Tire.Pressure', { kind: 'tirePressure', position: 'FL' }],
  ['Vehicle.Chassis.Axle.Row1.Wheel.Right.Tire.Pressure', { kind: 'tirePressure', position: 'FR' }],
  ['Vehicle.Chassis.Axle.Row2.Wheel.Left.Tire.Pressure', { kind: 'tirePressure', position: 'RL' }],
  ['Vehicle.Chassis.Axle.Row2.Wheel.Right.Tire.Pressure', { kind: 'tirePressure', position: 'RR' }],
]);

/** The longest VSS path above has 8 segments; deeper nesting is not VSS and is not walked. */
export const MAX_VSS_DEPTH = 8;
