// A 1.4-1.6 l petrol car with a five-speed gearbox: km/h at 1000 rpm in each gear.
const KPH_PER_1000_RPM = [7.6, 13.8, 20.5, 27.5, 34.5];
const MASS_KG = 1250;
const DRAG_AREA_M2 = 0.68; // Cd * frontal area
const ROLLING_RESISTANCE = 0.011;
const AIR_DENSITY = 1.2;
const DRIVELINE_EFFICIENCY = 0.9;
const MAX_POWER_KW = 70;
/** Brake-specific fuel consumption of a small petrol engine at part load, g/kWh. */
const BSFC_G_PER_KWH = 290;
const PETROL_DENSITY_G_PER_L = 745;
/** A warm petrol engine at idle burns about 0.8 L/h. */
const IDLE_FUEL_LPH = 0.8;
const IDLE_LOAD_PCT = 22;

export interface PowertrainState {
  rpm: number;
  engineLoadPct: number;
  throttlePct: number;
  fuelRateLph: number;
}

/** Engine state from road speed and acceleration: gear choice, road-load power, fuel flow. */
export function powertrainState(speedKph: number, accelKphPerS: number, idleRpm: number, fuelFactor: number): PowertrainState {
  const v = speedKph / 3.6;
  const a = accelKphPerS / 3.6;
  const roadPowerW = MASS_KG * a * v + 0.5 * AIR_DENSITY * DRAG_AREA_M2 * v ** 3 + ROLLING_RESISTANCE * MASS_KG * 9.81 * v;
  const enginePowerKw = Math.min(MAX_POWER_KW, roadPowerW / DRIVELINE_EFFICIENCY / 1000);
  const rpm = engineRpm(speedKph, accelKphPerS, idleRpm);

  // Fuel cut on overrun: decelerating above walking pace, the injectors stay closed.
  const overrun = enginePowerKw < 0 && speedKph > 15;
  const fuelRateLph = overrun
    ? 0
    : (IDLE_FUEL_LPH * (rpm / idleRpm) ** 0.5 + (Math.max(0, enginePowerKw) * BSFC_G_PER_KWH) / PETROL_DENSITY_G_PER_L) * fuelFactor;
  // Load as the ECU reports it: share of the power available at this rpm, never below idle's friction share.
  const availableKw = MAX_POWER_KW * Math.min(1, 0.25 + rpm / 6000);
  const engineLoadPct = overrun ? 0 : Math.min(100, IDLE_LOAD_PCT + (Math.max(0, enginePowerKw) / availableKw) * (100 - IDLE_LOAD_PCT));
  const throttlePct = overrun ? 0 : Math.min(100, 12 + engineLoadPct * 0.7);
  return { rpm, engineLoadPct, throttlePct, fuelRateLph };
}

function engineRpm(speedKph: number, accelKphPerS: number, idleRpm: number): number {
  if (speedKph < 6) return idleRpm + speedKph * 120;
  // Shift up early when cruising, hold gears longer when accelerating.
  const shiftRpm = accelKphPerS > 3 ? 2800 : 2100;
  let gear = 0;
  while (gear < KPH_PER_1000_RPM.length - 1 && (speedKph / KPH_PER_1000_RPM[gear]) * 1000 > shiftRpm) gear++;
  return Math.max(idleRpm, (speedKph / KPH_PER_1000_RPM[gear]) * 1000);
}
