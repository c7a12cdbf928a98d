// The SQL each benchmarked route sends (the repositories' raw SQL as written there, and what Prisma
// generates for their findMany/count calls, taken from its query log), run under EXPLAIN ANALYZE at the
// large center. Kept beside the bench so a plan can be checked again after a repository changes.
import type pg from 'pg';
import type { BenchFleet } from './api-fleet.seed.js';

interface Explained {
  name: string;
  plan: string;
}

export async function explainRoutes(pool: pg.Pool, fleet: BenchFleet): Promise<Explained[]> {
  const center = fleet.serviceCenterId;
  const vehicle = (
    await pool.query<{ id: string; vin: string }>(`SELECT id, vin FROM vehicles WHERE "serviceCenterId" = $1 ORDER BY vin OFFSET $2 LIMIT 1`, [
      center,
      Math.floor(fleet.cars / 2),
    ])
  ).rows[0];
  if (vehicle === undefined) throw new Error('no vehicle to explain');
  const since = new Date(Date.now() - 86_400_000);
  const queries: { name: string; sql: string; params: unknown[] }[] = [
    {
      name: 'attention: the first 100 cars at SOON or worse with owner and predictions at their worst risk (DashboardRepository.attentionPage)',
      sql: ATTENTION_PAGE,
      params: [center, 'SOON', 100],
    },
    { name: 'summary: vehicles by worst risk', sql: SUMMARY_BY_RISK, params: [center] },
    {
      name: 'summary: vehicles reporting in 24 h',
      sql: `SELECT count(*) FROM vehicles WHERE "serviceCenterId" = $1 AND "lastTelemetryAt" >= $2`,
      params: [center, since],
    },
    {
      name: 'summary: messages rejected in 24 h',
      sql: `SELECT count(*) FROM rejected_messages m
             WHERE m."receivedAt" >= $2
               AND (m."serviceCenterId" = $1 OR (m.id IN (SELECT t1.id FROM rejected_messages t1 JOIN vehicles t2 ON t2.id = t1."vehicleId"
                                                           WHERE t2."serviceCenterId" = $1 AND t1."vehicleId" IS NOT NULL)))`,
      params: [center, since],
    },
    {
      name: 'health: the car in scope, its scoring state and current predictions as JSON (PredictionRepository.currentWithState)',
      sql: `SELECT v.vin, v."telemetryVersion", v."scoredVersion", v."lastScoredAt", p.component::text, p.risk::text, p.health,
                   ${iso('p."dueAt"')}, ${iso('p."scoredAt"')},
                   json_build_object('component', p.component, 'health', p.health, 'risk', p.risk, 'dueAt', ${iso('p."dueAt"')},
                     'dueOdometerKm', p."dueOdometerKm", 'confidence', p.confidence, 'evidence', p.evidence, 'findings', p.findings,
                     'explanation', p.explanation, 'modelVersion', p."modelVersion", 'scoredAt', ${iso('p."scoredAt"')})::text
              FROM vehicles v LEFT JOIN predictions p ON p."vehicleId" = v.id WHERE v.vin = $1 AND v."serviceCenterId" = $2::uuid`,
      params: [vehicle.vin, center],
    },
    {
      name: 'history: the car in scope and its newest 100 snapshots as one JSON array (PredictionRepository.snapshots)',
      sql: historyPage(''),
      params: [vehicle.vin, center],
    },
    {
      name: 'history: newest 100 snapshots of one component',
      sql: historyPage(`AND ps.component = 'BATTERY'`),
      params: [vehicle.vin, center],
    },
  ];
  const explained: Explained[] = [];
  for (const query of queries) {
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${query.sql}`, query.params);
    explained.push({ name: query.name, plan: rows.map((row) => `    ${row['QUERY PLAN']}`).join('\n') });
  }
  return explained;
}

const iso = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// The history page (PredictionRepository.snapshots without include): the car in scope, limit + 1 of its snapshots in
// index order (only the page's columns), the first `limit` as one JSON array built by Postgres.
const historyPage = (condition: string): string => `
  SELECT v.vin, page.items, page.rows
    FROM vehicles v
    CROSS JOIN LATERAL (
      SELECT coalesce(json_agg(json_build_object('id', s.id::text, 'component', s.component, 'health', s.health, 'risk', s.risk,
               'dueAt', ${iso('s."dueAt"')}, 'dueOdometerKm', s."dueOdometerKm", 'confidence', s.confidence, 'explanation', s.explanation,
               'modelVersion', s."modelVersion", 'scoredAt', ${iso('s."scoredAt"')}) ORDER BY s.n) FILTER (WHERE s.n <= 100), '[]')::text AS items,
             count(*)::int AS rows
        FROM (SELECT *, row_number() OVER (ORDER BY newest."scoredAt" DESC, newest.id DESC) AS n
                FROM (SELECT ps.id, ps.component, ps.health, ps.risk, ps."dueAt", ps."dueOdometerKm", ps.confidence, ps.explanation,
                             ps."modelVersion", ps."scoredAt"
                        FROM prediction_snapshots ps WHERE ps."vehicleId" = v.id ${condition}
                       ORDER BY ps."scoredAt" DESC, ps.id DESC LIMIT 101) newest) s
    ) page
   WHERE v.vin = $1 AND v."serviceCenterId" = $2::uuid`;

// DashboardRepository.attentionPage: one statement, the ranking from vehicles.worstRisk/worstDueAt and each listed
// car's components at its worst risk as JSON.
const ATTENTION_PAGE = `
  SELECT v.vin, v.make, v.model, v.year, v.plate, v."odometerKm", v."worstRisk"::text AS risk, v."worstDueAt" AS "dueAt",
         v."lastTelemetryAt", v."lastScoredAt", u.name AS "ownerName", u.phone AS "ownerPhone", u.email AS "ownerEmail",
         (SELECT coalesce(json_agg(json_build_object(
                   'component', p.component, 'risk', p.risk, 'health', p.health, 'explanation', p.explanation,
                   'dueAt', p."dueAt", 'dueOdometerKm', p."dueOdometerKm", 'findings', p.findings)), '[]')
            FROM predictions p
           WHERE p."vehicleId" = v.id AND p.risk = v."worstRisk") AS components
    FROM (SELECT * FROM vehicles
           WHERE "serviceCenterId" = $1::uuid AND "worstRisk" >= $2::"Risk"
           ORDER BY "worstRisk" DESC, "worstDueAt" ASC NULLS LAST, id
           LIMIT $3) v
    JOIN users u ON u.id = v."ownerId"
   ORDER BY v."worstRisk" DESC, v."worstDueAt" ASC NULLS LAST, v.id`;

const SUMMARY_BY_RISK = `
  SELECT "worstRisk"::text AS risk, count(*)::int AS count FROM vehicles WHERE "serviceCenterId" = $1::uuid GROUP BY "worstRisk"`;
