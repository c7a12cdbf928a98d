import type { Component, Prisma, Risk } from '#app/database';

/** One component's current prediction, everything the worker stored. */
export interface ComponentHealthView {
  component: Component;
  /** 0 (failed) .. 100 (as new). */
  health: number;
  risk: Risk;
  dueAt: string | null;
  dueOdometerKm: number | null;
  /** e.g. {"kind":"interval","unit":"days","level":0.8,"low":..,"high":..} or {"kind":"probability","value":0.9}. */
  confidence: Prisma.JsonValue;
  evidence: Prisma.JsonValue;
  /** Each with code, subject, risk, message and params. */
  findings: Prisma.JsonValue;
  explanation: string;
  modelVersion: string;
  scoredAt: string;
}

/**
 * `current`: the score has read every telemetry batch (and inspection or service record) stored so far.
 * `stale`: newer data is waiting to be scored. `not-scored-yet`: the worker never scored this vehicle.
 */
export type HealthStatus = 'current' | 'stale' | 'not-scored-yet';

export interface VehicleHealthView {
  vin: string;
  status: HealthStatus;
  /** The minimum component health and the worst component risk; null before the first score. */
  overall: { health: number; risk: Risk } | null;
  lastScoredAt: string | null;
  current: boolean;
  /** Worst risk first. */
  components: ComponentHealthView[];
}

/**
 * A past prediction as the history lists it: without its evidence and findings unless asked for
 * (`include=evidence,findings`); a car's current health (GET /vehicles/{vin}/health) always carries both.
 */
export type HealthSnapshotView = Omit<ComponentHealthView, 'evidence' | 'findings'> & {
  id: string;
  evidence?: Prisma.JsonValue;
  findings?: Prisma.JsonValue;
};

export interface HealthHistoryView {
  vin: string;
  /** Newest first. */
  items: HealthSnapshotView[];
  /** True when more snapshots match than `limit`: ask again with `to` = the last item's scoredAt. */
  truncated: boolean;
}
