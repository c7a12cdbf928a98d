import { LRUCache } from 'lru-cache';
import type { ComponentName } from '#app/maintenance';

/**
 * A stored model-state row as Postgres last rendered it (jsonb as text): what a score would read again.
 * `key` names the row version: the component, the row's xmin (the transaction that wrote this version: any
 * UPDATE or re-INSERT, by anyone, makes a new one) and its updatedAt, so a key seen twice is the same bytes.
 */
export interface CachedModelRow {
  key: string;
  component: ComponentName;
  state: string;
  summary: string | null;
  summaryVersion: string | null;
  closedUntil: Date | null;
}

/**
 * The model-state rows this worker last read, per vehicle, least recently used first out. A score sends the
 * keys it holds and Postgres returns only the rows whose version differs: most scores fold nothing closed and
 * change no state, so the 50-70 KB of summaries stay where they are instead of being rendered, sent and
 * parsed again. Rows are kept as the text Postgres sent and parsed on every score, like a read: a model may
 * mutate what it is given, text cannot be mutated, so a hit decodes to the very object a read would. Only rows
 * read from Postgres are held, under the version they were read at: a row rewritten since (by this worker or
 * another) has another key and is read again; nothing here needs to be told about writes.
 */
export class ModelStateCache {
  /** Undefined at size 0 (turned off). */
  private readonly vehicles: LRUCache<string, ReadonlyMap<ComponentName, CachedModelRow>> | undefined;

  constructor(maxVehicles: number) {
    this.vehicles = maxVehicles > 0 ? new LRUCache({ max: maxVehicles }) : undefined;
  }

  /** The rows held for a vehicle. */
  get(vehicleId: string): ReadonlyMap<ComponentName, CachedModelRow> | undefined {
    return this.vehicles?.get(vehicleId);
  }

  /** Holds the rows a score just read (hits included) as the vehicle's, most recently used. */
  set(vehicleId: string, rows: readonly CachedModelRow[]): void {
    this.vehicles?.set(vehicleId, new Map(rows.map((row) => [row.component, row])));
  }

  get size(): number {
    return this.vehicles?.size ?? 0;
  }
}
