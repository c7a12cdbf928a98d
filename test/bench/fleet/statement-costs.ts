import type pg from 'pg';

/**
 * Where Postgres' time goes, statement by statement (`npm run bench:fleet -- --pg-statements`): the bench's Postgres
 * runs with pg_stat_statements preloaded (planning tracked too), its counters are reset when the simulator starts,
 * and the statements that took the most time are printed per score with their calls, execution and planning time.
 * Off by default: the extension costs a little on every statement.
 */
export const STATEMENT_STATS_SETTINGS: Readonly<Record<string, string>> = {
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.track_planning': 'on',
  'pg_stat_statements.max': '2000',
};

export async function resetStatementStats(pool: pg.Pool): Promise<void> {
  await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await pool.query('SELECT pg_stat_statements_reset()');
}

interface StatementRow {
  calls: string;
  exec_ms: number;
  plan_ms: number;
  query: string;
}

/** The `top` statements by execution + planning time, per score; the share is of all statements' time. */
export async function statementCostsPerScore(pool: pg.Pool, scores: number, top = 12): Promise<string> {
  const { rows } = await pool.query<StatementRow>(
    `SELECT calls::text, total_exec_time AS exec_ms, total_plan_time AS plan_ms, regexp_replace(query, '\\s+', ' ', 'g') AS query
     FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
     ORDER BY total_exec_time + total_plan_time DESC`,
  );
  const total = rows.reduce((sum, row) => sum + row.exec_ms + row.plan_ms, 0);
  const per = (n: number): string => (scores === 0 ? '-' : (n / scores).toFixed(3));
  const lines = rows.slice(0, top).map((row) => {
    const calls = Number(row.calls);
    const share = total === 0 ? 0 : ((row.exec_ms + row.plan_ms) / total) * 100;
    return (
      `  ${share.toFixed(1).padStart(5)} % ${per(row.exec_ms + row.plan_ms).padStart(7)} ms/score ` +
      `(${per(calls)} calls/score, exec ${(row.exec_ms / Math.max(1, calls)).toFixed(3)} + plan ${(row.plan_ms / Math.max(1, calls)).toFixed(3)} ms/call) ` +
      row.query.slice(0, 110)
    );
  });
  return [`Postgres statements by time (all: ${per(total)} ms per score):`, ...lines].join('\n');
}
