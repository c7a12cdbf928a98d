import type { Prisma, UserRole } from '#app/database';

/** What a change to a car's follow-up was: a call outcome, or an appointment action. */
export type AuditAction = `call.${string}` | `appointment.${string}`;

/** One line of a car's audit trail: who did what, when. */
export interface AuditEventView {
  id: string;
  at: string;
  action: string;
  actor: { id: string; name: string; role: UserRole };
  appointmentId: string | null;
  callOutcomeId: string | null;
  detail: Prisma.JsonValue;
}

/** A new line, written in the transaction of the change it records. */
export interface NewAuditEvent {
  serviceCenterId: string;
  vehicleId: string;
  actorId: string;
  action: AuditAction;
  appointmentId?: string;
  callOutcomeId?: string;
  detail: Prisma.InputJsonObject;
}
