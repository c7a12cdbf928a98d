import type { RescoreOutcome } from '../vehicle-health/rescore-request.service.js';

export interface OdometerCorrectionView {
  id: string;
  vin: string;
  effectiveAt: string;
  odometerKm: number;
  note: string | null;
  confirmedById: string;
  confirmedAt: string;
}

export interface CreatedOdometerCorrectionView extends OdometerCorrectionView {
  rescore: RescoreOutcome;
}
