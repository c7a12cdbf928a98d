/** Limits a message must respect as a whole; ingestion may pass its own (e.g. from config). */
export interface ContractLimits {
  maxPayloadBytes: number;
  maxSamplesPerMessage: number;
  /** How far ahead of the receive time a device clock may be. */
  maxFutureSkewMs: number;
  /** How old a sample may be when it arrives (devices buffer while offline). */
  maxAgeMs: number;
}

export const DEFAULT_CONTRACT_LIMITS: Readonly<ContractLimits> = Object.freeze({
  maxPayloadBytes: 256 * 1024,
  maxSamplesPerMessage: 500,
  maxFutureSkewMs: 5 * 60_000,
  maxAgeMs: 365 * 24 * 3_600_000,
});

export interface PlausibleRange {
  min: number;
  max: number;
  unit: string;
}

/**
 * Plausibility limits of the sensors, in canonical units. A value outside them is a broken sensor or a
 * unit mix-up, never a maintenance finding: an overheating engine reads 125 C, not 300 C. Most are the
 * limits of the OBD-II PID encoding (e.g. rpm 16383.75, MAF 655.35 g/s, MAP 255 kPa, temperature
 * -40..215 C).
 */
export const PLAUSIBLE_RANGES = {
  odometerKm: { min: 0, max: 2_000_000, unit: 'km' },
  speedKph: { min: 0, max: 300, unit: 'km/h' },
  rpm: { min: 0, max: 16_383, unit: 'rpm' },
  coolantTempC: { min: -40, max: 215, unit: '°C' },
  fuelRateLph: { min: 0, max: 200, unit: 'L/h' },
  batteryV: { min: 0, max: 36, unit: 'V' },
  engineLoadPct: { min: 0, max: 100, unit: '%' },
  intakeTempC: { min: -40, max: 215, unit: '°C' },
  mafGps: { min: 0, max: 655.35, unit: 'g/s' },
  manifoldPressureKpa: { min: 0, max: 255, unit: 'kPa' },
  throttlePct: { min: 0, max: 100, unit: '%' },
  ambientTempC: { min: -40, max: 215, unit: '°C' },
  treadMm: { min: 0, max: 20, unit: 'mm' },
  pressureKpa: { min: 0, max: 1000, unit: 'kPa' },
  engineDisplacementL: { min: 0.05, max: 20, unit: 'L' },
} as const satisfies Record<string, PlausibleRange>;

export type RangedField = keyof typeof PLAUSIBLE_RANGES;
