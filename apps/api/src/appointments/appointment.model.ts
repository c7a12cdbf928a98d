import type { RecordedService } from '../service-records/service-record.model.js';
import type { AppointmentStatus } from './appointment-state.policy.js';

export interface AppointmentView {
  id: string;
  status: AppointmentStatus;
  vehicle: { vin: string; make: string; model: string; plate: string | null };
  serviceCenterId: string;
  ownerId: string;
  reminderId: string | null;
  preferredAt: string;
  confirmedAt: string | null;
  scheduledAt: string | null;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AppointmentActionResult {
  appointment: AppointmentView;
  /** complete: the (first) service record written, when the work was not recorded yet. */
  serviceRecord?: RecordedService;
  /** complete: every service record written, one per kind of work (a visit for four tyres: one at four wheels). */
  serviceRecords?: RecordedService[];
  rescoreRequested?: boolean;
}
