import { estimateFuelRateLphFromMaf } from '../obd/maf-fuel-rate.js';

/** Assumed when the sample does not say: a typical 1.6 L petrol engine. */
export const DEFAULT_ENGINE_DISPLACEMENT_L = 1.6;
/** Typical volumetric efficiency of a naturally aspirated engine at part load. */
export const DEFAULT_VOLUMETRIC_EFFICIENCY = 0.85;
/** Molar mass of dry air, g/mol. */
const AIR_MOLAR_MASS_G_PER_MOL = 28.97;
/** Universal gas constant, J/(mol K). */
const GAS_CONSTANT = 8.314;
const CELSIUS_TO_KELVIN = 273.15;

export interface SpeedDensityInput {
  manifoldPressureKpa: number;
  rpm: number;
  intakeTempC: number;
  engineDisplacementL?: number;
  volumetricEfficiency?: number;
}

/**
 * Air mass flow from the speed-density method (cars without a MAF sensor): a four-stroke engine fills
 * its displacement once every two revolutions at manifold pressure and intake temperature, times the
 * volumetric efficiency; the ideal gas law gives the mass. kPa x L is J, so no scale factor appears.
 */
export function estimateAirMassFlowGps(input: SpeedDensityInput): number {
  const displacementL = input.engineDisplacementL ?? DEFAULT_ENGINE_DISPLACEMENT_L;
  const efficiency = input.volumetricEfficiency ?? DEFAULT_VOLUMETRIC_EFFICIENCY;
  const intakeCyclesPerSecond = input.rpm / 120;
  const molesPerCycle = (input.manifoldPressureKpa * displacementL * efficiency) / (GAS_CONSTANT * (input.intakeTempC + CELSIUS_TO_KELVIN));
  return intakeCyclesPerSecond * molesPerCycle * AIR_MOLAR_MASS_G_PER_MOL;
}

export type FuelEstimateMethod = 'maf' | 'speed-density';

export interface FuelEstimateInput {
  mafGps?: number;
  manifoldPressureKpa?: number;
  rpm?: number;
  intakeTempC?: number;
  engineDisplacementL?: number;
}

/**
 * Fuel flow when the car does not report PID 0x5E: from MAF when present (measured air), else by
 * speed-density. Both assume petrol at stoichiometry (AFR 14.7, 745 g/L); a diesel runs lean and
 * would read high, so the result is always marked as estimated.
 */
export function estimateFuelRate(input: FuelEstimateInput): { fuelRateLph: number; method: FuelEstimateMethod } | undefined {
  if (input.mafGps !== undefined) return { fuelRateLph: estimateFuelRateLphFromMaf(input.mafGps), method: 'maf' };
  const { manifoldPressureKpa, rpm, intakeTempC } = input;
  if (manifoldPressureKpa === undefined || rpm === undefined || intakeTempC === undefined) return undefined;
  const airGps = estimateAirMassFlowGps({ manifoldPressureKpa, rpm, intakeTempC, engineDisplacementL: input.engineDisplacementL });
  return { fuelRateLph: estimateFuelRateLphFromMaf(airGps), method: 'speed-density' };
}
