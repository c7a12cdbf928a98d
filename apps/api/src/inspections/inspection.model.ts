import type { TirePosition } from '#app/database';
import type { RescoreOutcome } from '../vehicle-health/rescore-request.service.js';

export interface TireReadingView {
  position: TirePosition;
  treadMm: number | null;
  pressureKpa: number | null;
}

export interface InspectionView {
  inspectionId: string;
  vin: string;
  measuredAt: string;
  odometerKm: number;
  /** One per wheel that had a value, FL, FR, RL, RR order. */
  readings: TireReadingView[];
  /** False when the vehicle already has a later odometer reading (telemetry, inspection or service). */
  odometerUpdated: boolean;
  rescore: RescoreOutcome;
}
