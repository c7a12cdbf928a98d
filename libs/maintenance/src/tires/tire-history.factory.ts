// Test data for the tyre model.
import type { ServiceEvent, TelemetryPoint, TireReadingPoint, VehicleHistory, VehicleProfile, WheelPosition } from '../maintenance-model.js';
import { DAY_MS, drivingSamples } from '../odometer/driving-history.factory.js';

export const START = new Date('2026-10-01T00:00:00Z');
export const NOW = new Date('2026-10-31T12:00:00Z');

export const aProfile = (overrides: Partial<VehicleProfile> = {}): VehicleProfile => ({
  make: 'Skoda',
  model: 'Octavia',
  year: 2021,
  fuelType: 'PETROL',
  oilServiceIntervalKm: 15_000,
  oilServiceIntervalMonths: 12,
  ...overrides,
});

export const aHistory = (overrides: Partial<VehicleHistory> = {}): VehicleHistory => ({
  profile: aProfile(),
  samples: [],
  tireReadings: [],
  serviceEvents: [],
  ...overrides,
});

export const inspection = (position: WheelPosition, odometerKm: number, treadMm: number, ts: Date): TireReadingPoint => ({
  position,
  ts,
  odometerKm,
  treadMm,
  source: 'INSPECTION',
});

export const onAllWheels = (f: (w: WheelPosition) => TireReadingPoint): TireReadingPoint[] => (['FL', 'FR', 'RL', 'RR'] as const).map(f);

export const event = (kind: ServiceEvent['kind'], performedAt: Date, positions?: WheelPosition[], odometerKm?: number): ServiceEvent => ({
  kind,
  performedAt,
  ...(positions !== undefined ? { positions } : {}),
  ...(odometerKm !== undefined ? { odometerKm } : {}),
});

export const daysAgo = (days: number, now = NOW): Date => new Date(now.getTime() - days * DAY_MS);

export interface PressureOptions {
  days?: number;
  /** Readings per day, spread over the day (temperature swings with the time of day). */
  perDay?: number;
  baseKpa?: number;
  /** Amplitude of the shared day/night temperature effect. */
  temperatureSwingKpa?: number;
  /** Extra loss per day for some wheels. */
  leakKpaPerDay?: Partial<Record<WheelPosition, number>>;
  /** Fixed offset per wheel (under-inflation). */
  offsetKpa?: Partial<Record<WheelPosition, number>>;
  /** Deterministic noise amplitude (+-). */
  noiseKpa?: number;
}

/** Device pressure readings for all four wheels, one sample per slot, ending at NOW. */
export function pressureReadings(o: PressureOptions = {}): TireReadingPoint[] {
  const days = o.days ?? 14;
  const perDay = o.perDay ?? 12;
  const base = o.baseKpa ?? 240;
  const out: TireReadingPoint[] = [];
  let k = 0;
  for (let i = 0; i < days * perDay; i++) {
    const ageDays = days - i / perDay;
    const ts = new Date(NOW.getTime() - ageDays * DAY_MS);
    const swing = (o.temperatureSwingKpa ?? 0) * Math.sin((2 * Math.PI * i) / perDay);
    for (const w of ['FL', 'FR', 'RL', 'RR'] as const) {
      const noise = (o.noiseKpa ?? 0) * Math.sin(k++ * 12.9898);
      const leaked = (o.leakKpaPerDay?.[w] ?? 0) * (days - ageDays);
      out.push({ position: w, ts, pressureKpa: base + swing + noise - leaked + (o.offsetKpa?.[w] ?? 0), source: 'DEVICE' });
    }
  }
  return out;
}

/** 30 days of driving at `kmPerDay`, ending at `endKm` on the day before NOW. */
export function drivingTo(endKm: number, kmPerDay = 40, days = 30): TelemetryPoint[] {
  return drivingSamples({ start: START, days, kmPerDay, startKm: endKm - kmPerDay * days });
}
