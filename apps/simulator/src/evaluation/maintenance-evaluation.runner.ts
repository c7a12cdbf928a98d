import { evaluateClockSkew, type ClockSkewResult } from './data-quality/clock-skew.scenario.js';
import { evaluateOdometerEvents, type DataQualityKindResult } from './data-quality/odometer-event.scenario.js';
import { planFleet } from './fleet/fleet-plan.js';
import { evaluateFleet, type FleetEvaluation } from './metrics/fleet-evaluation.js';
import { replayRealLogs, type RealLogResult } from './real-logs/real-log.replay.js';
import { replayFleet } from './replay/fleet-replay.js';
import { renderReport, summarize, type EvaluationSummary } from './report/evaluation-report.js';
import { selectVehicles, type EvaluationOptions } from './evaluation-options.js';

/** A Monday, so weekday and weekend patterns line up the same way for every seed. */
export const EVALUATION_EPOCH = new Date('2026-03-02T00:00:00.000Z');

export interface EvaluationOutcome {
  fleet: FleetEvaluation;
  realLogs: RealLogResult | null;
  /** Data-quality kinds (odometer jump / rollback, device clock ahead) on healthy cars; empty for short runs. */
  dataQuality: (DataQualityKindResult | ClockSkewResult)[];
  summary: EvaluationSummary;
  /** The human report, then the summary as one JSON object on the very last line. */
  output: string;
}

/** Plans the synthetic fleet from the seed, replays it and the real logs through the models, scores them. */
export async function runMaintenanceEvaluation(options: EvaluationOptions, progress?: (message: string) => void): Promise<EvaluationOutcome> {
  const plans = selectVehicles(
    planFleet({ seed: options.seed, vehicles: options.vehicles, days: options.days, epoch: EVALUATION_EPOCH }),
    options.vins,
  );
  const step = Math.max(1, Math.round(plans.length / 10));
  const runs = await replayFleet(plans, {
    seed: options.seed,
    epoch: EVALUATION_EPOCH,
    days: options.days,
    threads: options.threads,
    onProgress: (done, total) => {
      if (done % step === 0 || done === total) progress?.(`replayed ${done}/${total} vehicles`);
    },
  });
  const fleet = evaluateFleet(runs);
  const realLogs = options.obdDir === null ? null : replayRealLogs(options.obdDir);
  // Ten healthy cars are enough to show the events are skipped and reported; a month before and after each is needed.
  const healthy = plans.filter((p) => p.fault === null).slice(0, 10);
  const scenario = { seed: options.seed, epoch: EVALUATION_EPOCH, days: options.days };
  if (options.days >= 75) progress?.(`data-quality kinds on ${healthy.length} healthy vehicles`);
  const dataQuality = options.days >= 75 ? [...evaluateOdometerEvents(healthy, scenario), evaluateClockSkew(healthy, scenario)] : [];
  const summary = summarize(fleet, realLogs);
  return { fleet, realLogs, dataQuality, summary, output: `${renderReport(fleet, realLogs, options, dataQuality)}\n${JSON.stringify(summary)}\n` };
}
