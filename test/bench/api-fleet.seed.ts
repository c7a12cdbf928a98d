// The data of `npm run bench:api -- --fleet`: service centers of N cars each with `days` of prediction
// history, written by bulk SQL (INSERT ... SELECT over generate_series, one statement per day so the
// history lies on disk in time order, as the worker writes it). The evidence, findings and explanations
// are real model output: a few evaluation vehicles are replayed through the worker's models first and
// their assessments become templates that the SQL copies, so rows have the size and shape of real ones.
import type pg from 'pg';
import type { ComponentAssessment, ComponentName, MaintenanceModel } from '#app/maintenance';
import { COMPONENTS, RISKS, type Risk } from '#app/maintenance/vocabulary';
import { planFleet } from '../../apps/simulator/src/evaluation/fleet/fleet-plan.js';
import { evaluationModels } from '../../apps/simulator/src/evaluation/replay/evaluation-models.js';
import { replayVehicle } from '../../apps/simulator/src/evaluation/replay/vehicle-replay.js';
import { SET_WORST_RISK_SQL } from '../support/fixtures.js';

export interface BenchFleet {
  /** One letter: part of every VIN and e-mail of this fleet. */
  key: string;
  cars: number;
  days: number;
  serviceCenterId: string;
  staffEmail: string;
}

/** Raise when the seeded data changes shape: a seeded database of another version is seeded again. */
const SEED_VERSION = 1;
const DAY_MS = 86_400_000;

/**
 * A component's risk on the newest day, per 10,000 vehicle-components. About 20 % of cars then have one
 * component at SOON or worse (the attention list's default): a chain's workshop sees that many due soon.
 */
const FINAL_RISK_PER_10K: Record<Risk, number> = { OK: 8_900, WATCH: 700, SOON: 280, URGENT: 90, CRITICAL: 30 };

export const centerIdOf = (key: string): string => `00000000-0000-4000-8000-0000000000${key.charCodeAt(0).toString(16).padStart(2, '0')}`;
export const vinOf = (key: string, index: number): string => `LBF${key}${String(index).padStart(13, '0')}`;

interface Template {
  component: ComponentName;
  risk: Risk;
  health: number;
  dueDays: number | null;
  dueKm: number | null;
  confidence: unknown;
  evidence: unknown;
  findings: unknown;
  explanation: string;
  modelVersion: string;
}

/** Real assessments of a small evaluation fleet, a few per component and risk. */
export function modelTemplates(): Template[] {
  const epoch = new Date(Date.UTC(2026, 8, 1));
  const days = 35;
  const byKey = new Map<string, Template[]>();
  for (const plan of planFleet({ seed: 'api-bench', vehicles: 6, days, epoch })) {
    const models: MaintenanceModel[] = evaluationModels().map((model) => ({
      component: model.component,
      version: model.version,
      assess: (history, state, now) => {
        const result = model.assess(history, state, now);
        keep(byKey, result.assessment, now);
        return result;
      },
    }));
    replayVehicle(plan, { seed: 'api-bench', epoch, days, models });
  }
  const templates: Template[] = [];
  for (const component of COMPONENTS) {
    for (const risk of RISKS) {
      const found = byKey.get(`${component}:${risk}`) ?? [];
      if (found.length > 0) {
        templates.push(...found);
        continue;
      }
      // A risk the small fleet did not reach for this component: its largest assessment, raised to that
      // risk with one finding of a real finding's size, so the row is as big as a real one would be.
      const all = RISKS.flatMap((r) => byKey.get(`${component}:${r}`) ?? []);
      const largest = all.reduce<Template | undefined>(
        (best, t) => (best === undefined || JSON.stringify(t.evidence).length > JSON.stringify(best.evidence).length ? t : best),
        undefined,
      );
      if (largest === undefined) throw new Error(`the evaluation fleet produced no ${component} assessment`);
      templates.push({
        ...largest,
        risk,
        health: Math.max(5, 100 - 22 * RISKS.indexOf(risk)),
        dueDays: 45 - 10 * RISKS.indexOf(risk),
        findings: [
          {
            code: `${component}_BENCH`,
            subject: '',
            risk,
            message: `The ${component.toLowerCase().replace('_', ' ')} readings have moved away from this car's own baseline over the last weeks; at this rate it needs a look within about ${String(45 - 10 * RISKS.indexOf(risk))} days.`,
            params: { days: 45 - 10 * RISKS.indexOf(risk), baseline: 91.4, recent: 97.2, slopePerDay: 0.21 },
          },
        ],
      });
    }
  }
  return templates;
}

const TEMPLATES_PER_KEY = 6;
const seenCount = new Map<string, number>();

function keep(byKey: Map<string, Template[]>, assessment: ComponentAssessment, now: Date): void {
  const key = `${assessment.component}:${assessment.risk}`;
  const list = byKey.get(key) ?? [];
  byKey.set(key, list);
  const seen = (seenCount.get(key) ?? 0) + 1;
  seenCount.set(key, seen);
  // Spread over the replay rather than the first days only (early days have short evidence series).
  if (list.length >= TEMPLATES_PER_KEY && seen % 5 !== 0) return;
  const template: Template = {
    component: assessment.component,
    risk: assessment.risk,
    health: Math.round(assessment.health),
    dueDays: assessment.dueAt === undefined ? null : Math.round((assessment.dueAt.getTime() - now.getTime()) / DAY_MS),
    dueKm: assessment.dueOdometerKm ?? null,
    confidence: assessment.confidence,
    evidence: assessment.evidence,
    findings: assessment.findings,
    explanation: assessment.explanation,
    modelVersion: assessment.modelVersion,
  };
  if (list.length < TEMPLATES_PER_KEY) list.push(template);
  else list[(seen / 5) % TEMPLATES_PER_KEY] = template;
}

/** Whether the database already holds these fleets at this version, seeded today (history ends now). */
export async function isSeeded(pool: pg.Pool, fleets: BenchFleet[]): Promise<boolean> {
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_api_fleets (key text PRIMARY KEY, cars int NOT NULL, days int NOT NULL,
                      version int NOT NULL, seeded_at timestamptz NOT NULL)`);
  const { rows } = await pool.query<{ key: string; cars: number; days: number; version: number }>(
    `SELECT key, cars, days, version FROM bench_api_fleets WHERE seeded_at > now() - interval '12 hours'`,
  );
  return fleets.every((fleet) =>
    rows.some((row) => row.key === fleet.key && row.cars === fleet.cars && row.days === fleet.days && row.version === SEED_VERSION),
  );
}

/**
 * Empties the bench's own database and writes the fleets. Returns the seconds each step took.
 * `log` gets one line per step.
 */
export async function seed(pool: pg.Pool, fleets: BenchFleet[], staffPasswordHash: string, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  const templates = modelTemplates();
  log(`templates: ${String(templates.length)} real assessments (${(performance.now() - started).toFixed(0)} ms)`);
  // The bench's own database: everything in it is the bench's.
  await pool.query(`TRUNCATE service_centers, users, vehicles, predictions, prediction_snapshots, rejected_messages, bench_api_fleets CASCADE`);
  await pool.query(`DROP TABLE IF EXISTS bench_templates, bench_vehicle_components`);
  await pool.query(`CREATE UNLOGGED TABLE bench_templates (component "Component", risk "Risk", variant int, variants int, health int,
                      due_days int, due_km float8, confidence jsonb, evidence jsonb, findings jsonb, explanation text, model_version text)`);
  await pool.query(
    `INSERT INTO bench_templates
     SELECT t.component, t.risk, (row_number() OVER w - 1)::int, (count(*) OVER (PARTITION BY t.component, t.risk))::int, t.health,
            t."dueDays", t."dueKm", t.confidence, t.evidence, t.findings, t.explanation, t."modelVersion"
       FROM jsonb_to_recordset($1::jsonb) AS t(component "Component", risk "Risk", health int, "dueDays" int, "dueKm" float8,
            confidence jsonb, evidence jsonb, findings jsonb, explanation text, "modelVersion" text)
     WINDOW w AS (PARTITION BY t.component, t.risk)`,
    [JSON.stringify(templates)],
  );

  const cumulative: number[] = [];
  let sum = 0;
  for (const risk of RISKS) cumulative.push((sum += FINAL_RISK_PER_10K[risk]));
  for (const fleet of fleets) {
    const stepStarted = performance.now();
    const key = fleet.key;
    await pool.query(`INSERT INTO service_centers (id, name, city) VALUES ($1, $2, 'Benchville')`, [
      fleet.serviceCenterId,
      `Bench center ${key} (${String(fleet.cars)} cars)`,
    ]);
    await pool.query(
      `INSERT INTO users (id, email, "passwordHash", role, name, "serviceCenterId") VALUES (md5($1)::uuid, $1, $2, 'STAFF', 'Bench staff', $3)`,
      [fleet.staffEmail, staffPasswordHash, fleet.serviceCenterId],
    );
    await pool.query(
      `INSERT INTO users (id, email, "passwordHash", role, name, phone)
       SELECT md5('owner' || $1 || i)::uuid, format('owner-%s-%s@bench.carhealth.local', lower($1), i), '-', 'OWNER',
              format('Owner %s %s', $1, i), format('+49 151 %s', lpad(i::text, 8, '0'))
         FROM generate_series(1, $2::int) i`,
      [key, fleet.cars],
    );
    // Every car reported within the last day bar 3 %; all are scored up to their telemetry ('current').
    await pool.query(
      `INSERT INTO vehicles (id, "serviceCenterId", "ownerId", vin, make, model, year, plate, "odometerKm", "lastTelemetryAt", "lastSampleTs",
                             "telemetryVersion", "scoredVersion", "lastScoredAt")
       SELECT md5('vehicle' || $1 || i)::uuid, $3::uuid, md5('owner' || $1 || i)::uuid, 'LBF' || $1 || lpad(i::text, 13, '0'),
              (ARRAY['Toyota','Volkswagen','BYD','Honda','Ford'])[1 + i % 5], (ARRAY['Corolla','Golf','Seal','Civic','Focus'])[1 + i % 5],
              2015 + i % 11, format('B-%s %s', $1, i), 20000 + (i * 7919) % 150000,
              now() - make_interval(mins => CASE WHEN i % 33 = 0 THEN 3000 + i % 5000 ELSE i % 1400 END),
              now() - make_interval(mins => CASE WHEN i % 33 = 0 THEN 3000 + i % 5000 ELSE i % 1400 END),
              $2::int, $2::int, now() - make_interval(mins => i % 60)
         FROM generate_series(1, $4::int) i`,
      [key, fleet.days, fleet.serviceCenterId, fleet.cars],
    );
    // Per vehicle and component: the risk on the newest day, and how many days each risk level lasted on
    // the way up to it (a developing fault climbs one level every `span` days).
    await pool.query(`CREATE UNLOGGED TABLE IF NOT EXISTS bench_vehicle_components (fleet text, "vehicleId" uuid, component "Component",
                        final_level int, span int, h int, minute int)`);
    await pool.query(
      `INSERT INTO bench_vehicle_components
       SELECT $1, md5('vehicle' || $1 || i)::uuid, c.component,
              CASE WHEN r < $3 THEN 0 WHEN r < $4 THEN 1 WHEN r < $5 THEN 2 WHEN r < $6 THEN 3 ELSE 4 END,
              5 + (h >> 8) % 25, h, (h >> 4) % 1440
         FROM generate_series(1, $2::int) i
        CROSS JOIN unnest(enum_range(NULL::"Component")) AS c(component)
        CROSS JOIN LATERAL (SELECT abs(hashtext($1 || i || c.component::text)) AS h) hh
        CROSS JOIN LATERAL (SELECT h % 10000 AS r) rr`,
      [key, fleet.cars, ...cumulative.slice(0, 4)],
    );
    log(`fleet ${key}: ${String(fleet.cars)} cars, owners, staff (${(performance.now() - stepStarted).toFixed(0)} ms)`);

    // One snapshot per component per day, as the worker writes at least daily; one statement per day so the
    // table is in time order like a real one (a vehicle's history spread over the whole table).
    const historyStarted = performance.now();
    for (let day = 0; day < fleet.days; day++) {
      await pool.query(
        `INSERT INTO prediction_snapshots ("vehicleId", component, health, risk, "dueAt", "dueOdometerKm", confidence, evidence, findings,
                                           explanation, "modelVersion", "scoredAt")
         ${snapshotSelect('$2::int', '$3::int')}`,
        [key, day, fleet.days],
      );
      if (day % 15 === 14)
        log(`fleet ${key}: history day ${String(day + 1)}/${String(fleet.days)} (${((performance.now() - historyStarted) / 1000).toFixed(0)} s)`);
    }
    await pool.query(
      `INSERT INTO predictions (id, "vehicleId", component, health, risk, "dueAt", "dueOdometerKm", confidence, evidence, findings,
                                explanation, "modelVersion", "scoredAt", "dataThrough")
       SELECT gen_random_uuid(), s.*, s."scoredAt" FROM (${snapshotSelect('$2::int - 1', '$2::int')}) s`,
      [key, fleet.days],
    );
    // Each car's worst risk and the earliest due date at it, as the worker's save keeps them with the predictions.
    await pool.query(`UPDATE vehicles v ${SET_WORST_RISK_SQL} WHERE v."serviceCenterId" = $1::uuid`, [fleet.serviceCenterId]);
    // A few cars with refused messages in the last day (wrong clock, bad payloads), as the summary counts them.
    await pool.query(
      `INSERT INTO rejected_messages ("receivedAt", topic, vin, "vehicleId", "serviceCenterId", reason, detail, "sampleIndex", "payloadBytes",
                                      "payloadExcerpt", "messageHash")
       SELECT now() - make_interval(mins => (i * 37) % 1440), 'vehicles/' || v.vin || '/telemetry', v.vin, v.id, $2::uuid,
              (ARRAY['OUT_OF_RANGE','CLOCK_SKEW','MALFORMED_JSON'])[1 + i % 3], 'coolantTempC 212 is above the plausible 150', -1, 412,
              '{"vin":"' || v.vin || '","ts":"2026-12-06T08:00:00Z","coolantTempC":212', md5($1 || i)
         FROM generate_series(1, $3::int) i
         JOIN vehicles v ON v.id = md5('vehicle' || $1 || (1 + (i * 97) % $4))::uuid`,
      [key, fleet.serviceCenterId, Math.max(10, Math.round(fleet.cars / 20)), fleet.cars],
    );
    log(
      `fleet ${key}: ${String(fleet.cars * COMPONENTS.length * fleet.days)} history rows, predictions (${((performance.now() - historyStarted) / 1000).toFixed(0)} s)`,
    );
  }
  await pool.query(`DROP TABLE bench_vehicle_components, bench_templates`);
  // What autovacuum does to an insert-only table after a while: visibility map and statistics.
  const vacuumStarted = performance.now();
  await pool.query(`VACUUM ANALYZE service_centers, users, vehicles, predictions, prediction_snapshots, rejected_messages`);
  log(`vacuum analyze (${((performance.now() - vacuumStarted) / 1000).toFixed(0)} s)`);
  for (const fleet of fleets) {
    await pool.query(`INSERT INTO bench_api_fleets (key, cars, days, version, seeded_at) VALUES ($1, $2, $3, $4, now())`, [
      fleet.key,
      fleet.cars,
      fleet.days,
      SEED_VERSION,
    ]);
  }
  log(`seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * The day's row of each of the fleet's vehicle-components (fleet key $1): the risk level climbs towards
 * the final one, one level per `span` days, and a template of that component and risk gives the content.
 */
function snapshotSelect(day: string, days: string): string {
  return `
    SELECT vc."vehicleId", vc.component, greatest(1, least(100, t.health + (vc.h % 7) - 3)), t.risk,
           CASE WHEN t.due_days IS NULL THEN NULL ELSE at.scored + make_interval(days => t.due_days) END, t.due_km,
           t.confidence, t.evidence, t.findings, t.explanation, t.model_version, at.scored AS "scoredAt"
      FROM bench_vehicle_components vc
     CROSS JOIN LATERAL (SELECT greatest(0, vc.final_level - ((${days} - 1 - ${day}) / vc.span)) AS level,
                               now() - make_interval(days => ${days} - 1 - ${day}, mins => vc.minute) AS scored) at
      JOIN bench_templates t ON t.component = vc.component AND t.risk = (enum_range(NULL::"Risk"))[at.level + 1]
                            AND t.variant = (vc.h + ${day}) % t.variants
     WHERE vc.fleet = $1`;
}
