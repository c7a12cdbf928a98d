import { isDeepStrictEqual } from 'node:util';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type WorkerConfig } from '#app/config';
import { assessIncrementally, isIncrementalModel, type MaintenanceModel } from '#app/maintenance';
import type { JobOutcome } from '#app/queue';
import { remindersMayChange } from '../reminders/reminder-change.policy.js';
import { ReminderEvaluationService } from '../reminders/reminder-evaluation.service.js';
import { MAINTENANCE_MODELS } from './maintenance-models.provider.js';
import { ModelStateCache } from './model-state.cache.js';
import { PredictionStore, type ScoredComponent } from './prediction.store.js';
import { SummaryRebuildBudget } from './summary-rebuild.budget.js';
import { planSummaryReuse } from './summary-reuse.policy.js';
import { VehicleHistoryLoader } from './vehicle-history.loader.js';

/**
 * Scores one vehicle: each model's saved state and summary plus the telemetry after the summaries in,
 * one assessment per component out, stored with the telemetry version read *before* the history.
 * Telemetry committed while this runs carries a higher version, so the vehicle stays on the
 * reconciler's list. The saved states come from the worker's cache when their row version is the one it last
 * read (ModelStateCache). When a summary cannot be continued (a new summary version, a late sample) the
 * whole window is read and folded again: a rebuild, at most `rebuildsPerSecond` per worker; one over
 * the budget leaves the vehicle unscored (its last prediction stays: late, never wrong) for the
 * reconciler to ask again.
 */
@Injectable()
export class VehicleScoringService {
  private readonly rebuilds: SummaryRebuildBudget;
  private readonly stateCache: ModelStateCache;

  constructor(
    @Inject(APP_CONFIG) config: WorkerConfig,
    private readonly history: VehicleHistoryLoader,
    private readonly predictions: PredictionStore,
    @Inject(MAINTENANCE_MODELS) private readonly models: readonly MaintenanceModel[],
    // Optional so the scoring benchmark can measure scoring alone; the worker module always provides it.
    @Optional() private readonly reminders?: ReminderEvaluationService,
  ) {
    this.rebuilds = new SummaryRebuildBudget(config.scoring.rebuildsPerSecond);
    this.stateCache = new ModelStateCache(config.scoring.stateCacheVehicles);
  }

  async score(vehicleId: string, now: Date): Promise<JobOutcome> {
    const start = await this.predictions.scoringStart(vehicleId, this.stateCache.get(vehicleId));
    if (!start) return { status: 'skipped', reason: 'vehicle not found' };
    this.stateCache.set(vehicleId, start.rows);
    const { profile, states } = start;
    const plan = planSummaryReuse(this.models, new Map([...states].map(([component, saved]) => [component, saved.saved])), start.lateSampleTs);
    if (plan.rebuild && start.lastScoredAt !== null && !this.rebuilds.tryTake(Date.now())) {
      return { status: 'skipped', reason: 'model summaries need a rebuild: deferred by the rebuild budget' };
    }
    const { samples, context } = await this.history.scoringInput(vehicleId, profile, now, plan.readAfter, plan.tireReadingsFrom, {
      lastScoredAt: start.lastScoredAt,
      lateSampleTs: start.lateSampleTs,
    });
    const scored: ScoredComponent[] = this.models.map((model) => {
      const previous = states.get(model.component)?.state;
      const result = isIncrementalModel(model)
        ? // The saved summaries were parsed for this score alone, and one that folded nothing closed is not saved.
          assessIncrementally(model, plan.reuse.get(model.component) ?? null, samples, context, previous, now, { savedIsDisposable: true })
        : model.assess({ ...context, samples }, previous, now);
      // Key order does not matter (jsonb sorts keys); anything a JSON round trip would change (undefined values,
      // Dates) makes it unequal, so such a state is written, never lost.
      return { ...result, stateChanged: previous === undefined || !isDeepStrictEqual(result.state, previous) };
    });
    // Most cars are healthy with no active reminder: the evaluation would decide nothing, so it does not run and the
    // save marks the car scored in its own statement (reminder-change.policy.ts says why that is safe).
    const assessments = scored.map((s) => s.assessment);
    const evaluate =
      this.reminders !== undefined && remindersMayChange({ vehicleId, assessments, scoredAt: now, hasActiveReminder: start.hasActiveReminder });
    await this.predictions.save(vehicleId, scored, now, evaluate ? {} : { markScored: start.telemetryVersion });
    if (evaluate) {
      // After the save, from what was stored: a failure retries the whole (idempotent) score job.
      await this.reminders?.evaluate(vehicleId, now);
      // Last: a worker killed before this point (it was: SIGKILL between the save and the reminders left cars
      // scored and never reminded) leaves the vehicle on the reconciler's list.
      await this.predictions.markScored(vehicleId, start.telemetryVersion, now);
    }
    const worst = scored.map((s) => `${s.assessment.component}=${s.assessment.risk}`).join(' ');
    const path = plan.readAfter === null ? 'full' : 'incremental';
    return { status: 'done', detail: `${samples.length} points (${path}); ${worst}` };
  }
}
