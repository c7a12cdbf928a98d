import type pg from 'pg';

export interface VehicleRef {
  vehicleId: string;
  serviceCenterId: string;
}

/**
 * VIN -> vehicle lookups for ingestion, cached: every message names its VIN and a database round trip
 * per message would cap throughput. Unknown VINs are remembered briefly, so a vehicle registered a
 * moment ago is accepted within `negativeTtlMs`.
 */
export class VehicleDirectory {
  private readonly known = new Map<string, VehicleRef>();
  private readonly unknownUntil = new Map<string, number>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly negativeTtlMs = 10_000,
  ) {}

  /** Resolves every VIN it can; the ones missing from the result are not registered. */
  async resolve(vins: Iterable<string>, nowMs: number): Promise<Map<string, VehicleRef>> {
    const result = new Map<string, VehicleRef>();
    const toLoad: string[] = [];
    for (const vin of new Set(vins)) {
      const hit = this.known.get(vin);
      if (hit) result.set(vin, hit);
      else if ((this.unknownUntil.get(vin) ?? 0) <= nowMs) toLoad.push(vin);
    }
    if (toLoad.length > 0) {
      const rows = await this.pool.query<{ vin: string; id: string; serviceCenterId: string }>(
        'SELECT vin, id, "serviceCenterId" FROM vehicles WHERE vin = ANY($1::text[])',
        [toLoad],
      );
      for (const row of rows.rows) {
        const ref = { vehicleId: row.id, serviceCenterId: row.serviceCenterId };
        this.known.set(row.vin, ref);
        this.unknownUntil.delete(row.vin);
        result.set(row.vin, ref);
      }
      for (const vin of toLoad) if (!result.has(vin)) this.unknownUntil.set(vin, nowMs + this.negativeTtlMs);
    }
    return result;
  }
}
