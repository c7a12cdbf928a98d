// Driving-situation cells for comparing fuel use like with like. A sample's cell is its speed band and
// whether the car was accelerating, cruising or slowing down; idling is its own cell.
//
// Why speed and acceleration, not the engine-load PID: engine load is the share of the engine's air
// capacity in use, so it rises with the very faults we want to see (dragging brakes, a clogged air
// filter, under-inflated tyres). Conditioning on it would explain the degradation away. Speed and
// acceleration describe what the driver asked of the car, which a fault does not change.
import type { TelemetryPoint } from '../maintenance-model.js';

const SPEED_BANDS = [3, 20, 40, 60, 80, 100, 120] as const;
/** m/s^2: gentler than this counts as cruising. */
const ACCEL_THRESHOLD = 0.3;
/** Acceleration from two samples further apart than this says nothing about the moment. */
const MAX_ACCEL_GAP_MS = 30_000;

export const IDLE_CELL = 'idle';

export function speedBand(speedKph: number): number {
  return SPEED_BANDS[bandIndex(speedKph)];
}

function bandIndex(speedKph: number): number {
  let index = 0;
  for (let i = 0; i < SPEED_BANDS.length; i++) if (speedKph >= SPEED_BANDS[i]) index = i;
  return index;
}

// Keys are built once: a string per sample would be the hot path of the model.
const PHASES = ['d', 'c', 'a'] as const;
const KEYS = SPEED_BANDS.map((band) => PHASES.map((phase) => `${band}-${phase}`));

/**
 * Every cell in a fixed order (idle first): a summary counts samples per cell as an array indexed
 * like this, which is compact in JSON and needs no string per sample.
 */
export const FUEL_CELLS: readonly string[] = [IDLE_CELL, ...KEYS.flat()];

/** The cell of `point`, given the previous sample of the same drive (for acceleration); null if unknown. */
export function fuelCell(point: TelemetryPoint, previous: TelemetryPoint | undefined): string | null {
  const index = fuelCellIndex(point, previous);
  return index < 0 ? null : FUEL_CELLS[index];
}

/** The index in FUEL_CELLS of `point`'s cell (see fuelCell); -1 if unknown. */
export function fuelCellIndex(point: TelemetryPoint, previous: TelemetryPoint | undefined): number {
  if (point.speedKph === undefined) return -1;
  if (point.speedKph < SPEED_BANDS[0]) return 0;
  let phase = 1;
  if (previous?.speedKph !== undefined) {
    const dt = point.ts.getTime() - previous.ts.getTime();
    if (dt > 0 && dt <= MAX_ACCEL_GAP_MS) {
      const accel = (point.speedKph - previous.speedKph) / 3.6 / (dt / 1000);
      if (accel > ACCEL_THRESHOLD) phase = 2;
      else if (accel < -ACCEL_THRESHOLD) phase = 0;
    }
  }
  return 1 + bandIndex(point.speedKph) * PHASES.length + phase;
}

/** City driving: moving below 60 km/h. */
export function isCity(point: TelemetryPoint): boolean {
  return point.speedKph !== undefined && point.speedKph >= SPEED_BANDS[0] && point.speedKph < 60;
}
