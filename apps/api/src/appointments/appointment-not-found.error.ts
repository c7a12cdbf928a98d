/** No such appointment, or one outside the caller's scope (404 either way). */
export class AppointmentNotFoundError extends Error {
  override readonly name = 'AppointmentNotFoundError';

  constructor(readonly appointmentId: string) {
    super(`Appointment ${appointmentId} not found`);
  }
}
