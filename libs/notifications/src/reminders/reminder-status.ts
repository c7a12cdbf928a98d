// A reminder's statuses (the Postgres `ReminderStatus` enum), one list for the API's lifecycle and the
// worker's evaluation: "active" is what the worker may still move or close and what the owner acts on.
export const ACTIVE_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'SNOOZED', 'BOOKED'] as const;
export const CLOSED_STATUSES = ['DONE', 'RESOLVED'] as const;
export const REMINDER_STATUSES = [...ACTIVE_STATUSES, ...CLOSED_STATUSES] as const;

export type ActiveStatus = (typeof ACTIVE_STATUSES)[number];
export type ClosedStatus = (typeof CLOSED_STATUSES)[number];
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

export function isActiveStatus(status: string): status is ActiveStatus {
  return (ACTIVE_STATUSES as readonly string[]).includes(status);
}

export function isClosedStatus(status: string): status is ClosedStatus {
  return (CLOSED_STATUSES as readonly string[]).includes(status);
}
