import type { RecordedService } from '../reminders/reminder-completion.repository.js';
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
  /** complete: the service record written for the reminder, when its done was not recorded yet. */
  serviceRecord?: RecordedService;
  rescoreRequested?: boolean;
}
