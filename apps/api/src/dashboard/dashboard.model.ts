import type { Component, Prisma, Risk } from '#app/database';
import type { CallListEntry } from '../call-list/call-list.model.js';

export interface AttentionComponentView {
  component: Component;
  risk: Risk;
  health: number;
  explanation: string;
  dueAt: string | null;
  dueOdometerKm: number | null;
  findings: Prisma.JsonValue;
}

/** One customer to call: the car, its owner's contact, and what is wrong with it. */
export interface AttentionItemView {
  vin: string;
  make: string;
  model: string;
  year: number;
  plate: string | null;
  odometerKm: number | null;
  owner: { name: string; phone: string | null; email: string };
  risk: Risk;
  /** The earliest due date among the components at that risk. */
  dueAt: string | null;
  lastTelemetryAt: string | null;
  lastScoredAt: string | null;
  /** The components at the vehicle's worst risk, worst first. */
  components: AttentionComponentView[];
  /** The car's last call and whether it holds the car off the list; null when nobody called in the last 180 days. */
  call: CallListEntry | null;
}

export interface AttentionView {
  risk: Risk;
  view: 'due' | 'handled';
  /** Worst risk first, then earliest due date. */
  items: AttentionItemView[];
  /** Cars at this risk or worse that a call outcome holds off the `due` list now. */
  handled: number;
}

export interface DashboardSummaryView {
  serviceCenterId: string;
  vehicles: number;
  /** Vehicles by their worst component risk; `NOT_SCORED` for those the worker has not scored yet. */
  byRisk: Record<Risk | 'NOT_SCORED', number>;
  /** Vehicles with telemetry committed in the last 24 hours. */
  reportingLast24h: number;
  /** Messages from the center's vehicles that ingestion refused in the last 24 hours. */
  rejectedLast24h: number;
  /** When these counts were computed: shared by every replica for DASHBOARD_SUMMARY_TTL_SECONDS (10 s) after. */
  generatedAt: string;
}

/** A car that sent nothing usable in the last 24 h while its messages were refused, and why. */
export interface SilentVehicleView {
  vin: string;
  make: string;
  model: string;
  plate: string | null;
  lastTelemetryAt: string | null;
  rejectedLast24h: number;
  lastReason: string;
  lastDetail: string;
  lastRejectedAt: string;
}
