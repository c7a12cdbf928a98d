import type { Component, Risk } from '#app/database';
import type { DeviceState } from '../device-status/device-status.model.js';

export const FLEET_SORTS = ['risk', 'vin', 'owner', 'lastTelemetry'] as const;
export type FleetSort = (typeof FLEET_SORTS)[number];

/**
 * Where a page ended: the sort key of its last row (as text, compared in SQL as the sort's own type) and
 * the row's id, which breaks ties so no row is skipped or repeated between pages.
 */
export interface FleetCursor {
  sort: FleetSort;
  key: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Numeric sort keys as the repository writes them (risk rank, negated epoch seconds). */
const NUMERIC = /^-?\d{1,15}(\.\d{1,6})?$/;

export function encodeCursor(cursor: FleetCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.key, cursor.id])).toString('base64url');
}

/** The cursor, or null for anything this API did not hand out (so it is a 400, never a SQL error). */
export function decodeCursor(value: string): FleetCursor | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return null;
  const [sort, key, id] = parsed as unknown[];
  if (typeof sort !== 'string' || !(FLEET_SORTS as readonly string[]).includes(sort)) return null;
  if (typeof key !== 'string' || typeof id !== 'string' || !UUID.test(id) || key.length > 200 || key.includes('\u0000')) return null;
  const fleetSort = sort as FleetSort;
  if ((fleetSort === 'risk' || fleetSort === 'lastTelemetry') && !NUMERIC.test(key)) return null;
  return { sort: fleetSort, key, id };
}

/** One car in the "All vehicles" list. */
export interface FleetVehicleView {
  vin: string;
  make: string;
  model: string;
  year: number;
  plate: string | null;
  owner: { name: string; phone: string | null; email: string };
  /** The worst component risk of the latest prediction; null while the car has not been scored. */
  risk: Risk | null;
  /** The components at that risk. */
  worstComponents: Component[];
  /** The device-status view's state, since when, and (OFFLINE / UNPLUGGED) for how many seconds. */
  device: { state: DeviceState; since: string | null; offlineForSeconds: number | null };
  odometerKm: number | null;
  lastTelemetryAt: string | null;
}

export interface FleetPageView {
  items: FleetVehicleView[];
  /** Pass as `cursor` (with the same filters and sort) for the next page; null on the last page. */
  nextCursor: string | null;
}
