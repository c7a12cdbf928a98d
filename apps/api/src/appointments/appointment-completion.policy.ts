// Which service record completing an appointment writes, pure. Completing always leaves the work on the car's
// record (that is what rescoring reads), once: the kind staff name, else the one the booked reminder's finding
// implies; nothing new when the owner already recorded it; and a refusal when nothing tells what was done.

import type { ServiceKind, TirePosition } from '#app/database';
import { DomainError } from '#app/errors';

/** The appointment's reminder, as completion sees it: none, still active, or closed by the owner's DONE or by a new score. */
export type ReminderForCompletion = 'none' | 'active' | 'done' | 'resolved';

export interface GivenService {
  kind: ServiceKind;
  positions: TirePosition[];
}

export type CompletionRecord =
  /** Write the record for the reminder (closing it): `service` as given, or derived from its finding when absent. */
  | { record: 'for-reminder'; service: GivenService | null }
  /** Write the given record on its own (no active reminder to close). */
  | { record: 'given'; service: GivenService }
  /** The owner marked the reminder done with its service record already: writing another would count the work twice. */
  | { record: 'already-recorded' };

/** Completing an appointment with nothing to say what work was done (HTTP 400): the body must name `serviceKind`. */
export class ServiceKindRequiredError extends DomainError {
  readonly kind = 'invalid';
  override readonly name = 'ServiceKindRequiredError';

  constructor(readonly appointmentId: string) {
    super(`Appointment ${appointmentId} has no open reminder to tell the work done: give serviceKind to complete it`);
  }

  override details(): { issues: { path: string; message: string }[] } {
    return { issues: [{ path: 'serviceKind', message: 'is required: this appointment has no open reminder to derive the work from' }] };
  }
}

export function completionRecord(appointmentId: string, reminder: ReminderForCompletion, given: GivenService | null): CompletionRecord {
  if (reminder === 'active') return { record: 'for-reminder', service: given };
  if (given !== null) return { record: 'given', service: given };
  if (reminder === 'done') return { record: 'already-recorded' };
  throw new ServiceKindRequiredError(appointmentId);
}
