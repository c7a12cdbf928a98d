import type pg from 'pg';

/**
 * What Postgres writes for the platform's rows: the row versions per table and the WAL, read from Postgres' own
 * statistics at the start and end of a run. An UPDATE that is not HOT (heap-only: the new version fits on the old
 * one's page and no indexed column changed) also writes an entry into every index of the table and leaves more for
 * vacuum, so the HOT share says how much of the update cost is the row itself.
 */
export interface TableWrites {
  inserted: number;
  updated: number;
  hotUpdated: number;
}

export interface WriteCounters {
  tables: Record<string, TableWrites>;
  walBytes: number;
}

/** The tables a score and ingestion write. */
const TABLES = ['vehicles', 'predictions', 'prediction_snapshots', 'vehicle_model_states', 'telemetry_samples', 'tire_readings'] as const;

export async function readWriteCounters(pool: pg.Pool): Promise<WriteCounters> {
  // A partitioned table's partitions (telemetry's and tyre readings' days) are summed under their root's name.
  const { rows } = await pool.query<{ name: string; ins: string; upd: string; hot: string }>(
    `SELECT r.name, sum(n_tup_ins) AS ins, sum(n_tup_upd) AS upd, sum(n_tup_hot_upd) AS hot
     FROM pg_stat_user_tables t, LATERAL (SELECT coalesce(pg_partition_root(t.relid), t.relid)::regclass::text AS name) r
     WHERE r.name = ANY($1::text[])
     GROUP BY 1`,
    [TABLES],
  );
  const { rows: wal } = await pool.query<{ bytes: string }>('SELECT wal_bytes::text AS bytes FROM pg_stat_wal');
  return {
    tables: Object.fromEntries(rows.map((r) => [r.name, { inserted: Number(r.ins), updated: Number(r.upd), hotUpdated: Number(r.hot) }])),
    walBytes: Number(wal[0]?.bytes ?? 0),
  };
}

/** Per score: each table's rows inserted and updated, the HOT share of its updates, and the WAL bytes. */
export function writesPerScore(start: WriteCounters, end: WriteCounters, scores: number): string {
  const per = (n: number): string => (scores === 0 ? '-' : (n / scores).toFixed(2));
  const tables = TABLES.map((name) => {
    const a = start.tables[name] ?? { inserted: 0, updated: 0, hotUpdated: 0 };
    const b = end.tables[name] ?? a;
    const updated = b.updated - a.updated;
    const hot = b.hotUpdated - a.hotUpdated;
    const share = updated === 0 ? '-' : `${((hot / updated) * 100).toFixed(0)} % HOT`;
    return `${name} +${per(b.inserted - a.inserted)} ~${per(updated)} (${share})`;
  });
  const walKb = scores === 0 ? '-' : ((end.walBytes - start.walBytes) / scores / 1024).toFixed(1);
  return `rows per score (+inserted ~updated): ${tables.join(', ')}; WAL ${walKb} KB per score (ingestion's included)`;
}
