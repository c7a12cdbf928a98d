/** Wheel positions, as in the device contract's `tires` object and in service records. */
export const WHEEL_POSITIONS = ['FL', 'FR', 'RL', 'RR'] as const;
export type WheelPosition = (typeof WHEEL_POSITIONS)[number];

export interface TireMeasurement {
  treadMm?: number;
  pressureKpa?: number;
}

/**
 * One telemetry sample after validation and normalisation: canonical names and units, whatever alias
 * or raw OBD-II form the device sent. Ingestion stores it; the models read it back (as TelemetryPoint,
 * which only relaxes `seq`). Defined here, not in libs/telemetry, because the models are its other
 * reader and libs/maintenance depends on nothing.
 */
export interface TelemetrySample {
  /** Device clock, validated (not far in the future). */
  ts: Date;
  /** Per-device counter; (vehicle, seq) identifies the sample. */
  seq: number;
  odometerKm?: number;
  speedKph?: number;
  rpm?: number;
  coolantTempC?: number;
  /** Reported (PID 0x5E) or estimated from MAF / speed-density: see fuelRateEstimated. */
  fuelRateLph?: number;
  fuelRateEstimated?: boolean;
  batteryV?: number;
  engineLoadPct?: number;
  intakeTempC?: number;
  mafGps?: number;
  manifoldPressureKpa?: number;
  throttlePct?: number;
  ambientTempC?: number;
  tires?: Partial<Record<WheelPosition, TireMeasurement>>;
  dtcs?: string[];
}
