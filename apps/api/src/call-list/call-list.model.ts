import type { CallOutcomeKind, Risk } from '#app/database';
import type { ResurfaceReason } from './call-list.policy.js';

/** One recorded call, as the history and the call list show it. */
export interface CallOutcomeView {
  id: string;
  vin: string;
  outcome: CallOutcomeKind;
  note: string | null;
  callAgainAt: string | null;
  riskAtCall: Risk;
  dueAtAtCall: string | null;
  staff: { id: string; name: string };
  createdAt: string;
}

export interface RecordedCallOutcomeView extends CallOutcomeView {
  /** When the car comes back on the call list unless its prediction gets worse first. */
  hiddenUntil: string;
  /** BOOKED with appointmentAt: the confirmed appointment made for it. */
  appointmentId: string | null;
}

/** The call-list state of a car that was called: its last outcome, and whether it is held off the list. */
export interface CallListEntry {
  lastCall: CallOutcomeView;
  /** Set while the car is held off the list. */
  hiddenUntil: string | null;
  /** Why a called car is on the list again. */
  resurfaced: ResurfaceReason | null;
}
