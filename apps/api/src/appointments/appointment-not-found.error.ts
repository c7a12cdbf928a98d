import { DomainError } from '#app/errors';

/** No such appointment, or one outside the caller's scope (404 either way). */
export class AppointmentNotFoundError extends DomainError {
  readonly kind = 'not_found';
  override readonly name = 'AppointmentNotFoundError';

  constructor(readonly appointmentId: string) {
    super(`Appointment ${appointmentId} not found`);
  }
}
