import type { ServiceKind, TirePosition } from '#app/database';
import type { RescoreOutcome } from '../vehicle-health/rescore-request.service.js';

export interface ServiceRecordView {
  id: string;
  vin: string;
  serviceCenterId: string;
  kind: ServiceKind;
  performedAt: string;
  odometerKm: number | null;
  positions: TirePosition[];
  notes: string | null;
  /** Who entered it: a staff member of the center, or the owner recording work done elsewhere. */
  createdById: string | null;
  createdAt: string;
}

/** A record a reminder's done or an appointment's completion wrote, as their answers carry it. */
export interface RecordedService {
  id: string;
  vehicleId: string;
  kind: ServiceKind;
  positions: TirePosition[];
  performedAt: string;
  odometerKm: number | null;
}

export interface CreatedServiceRecordView extends ServiceRecordView {
  /** False when the vehicle already has a later odometer reading, or none was given. */
  odometerUpdated: boolean;
  rescore: RescoreOutcome;
}
