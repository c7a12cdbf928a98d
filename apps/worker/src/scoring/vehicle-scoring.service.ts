import { Inject, Injectable, Optional } from '@nestjs/common';
import { PrismaService } from '#app/database';
import type { MaintenanceModel } from '#app/maintenance';
import type { JobOutcome } from '#app/queue';
import { ReminderEvaluationService } from '../reminders/reminder-evaluation.service.js';
import { MAINTENANCE_MODELS } from './maintenance-models.provider.js';
import { PredictionStore, type ScoredComponent } from './prediction.store.js';
import { VehicleHistoryLoader } from './vehicle-history.loader.js';

/**
 * Scores one vehicle: its bounded history and each model's saved state in, one assessment per
 * component out, stored with the telemetry version read *before* the history. Telemetry committed
 * while this runs carries a higher version, so the vehicle stays on the reconciler's list.
 */
@Injectable()
export class VehicleScoringService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly history: VehicleHistoryLoader,
    private readonly predictions: PredictionStore,
    @Inject(MAINTENANCE_MODELS) private readonly models: readonly MaintenanceModel[],
    // Optional so the scoring benchmark can measure scoring alone; the worker module always provides it.
    @Optional() private readonly reminders?: ReminderEvaluationService,
  ) {}

  async score(vehicleId: string, now: Date): Promise<JobOutcome> {
    const vehicle = await this.prisma.vehicle.findUnique({ where: { id: vehicleId } });
    if (!vehicle) return { status: 'skipped', reason: 'vehicle not found' };
    const profile = {
      make: vehicle.make,
      model: vehicle.model,
      year: vehicle.year,
      fuelType: vehicle.fuelType,
      oilServiceIntervalKm: vehicle.oilServiceIntervalKm,
      oilServiceIntervalMonths: vehicle.oilServiceIntervalMonths,
    };
    const [history, states] = await Promise.all([this.history.load(vehicleId, profile, now), this.predictions.currentStates(vehicleId)]);
    const scored: ScoredComponent[] = this.models.map((model) => {
      const result = model.assess(history, states.get(model.component), now);
      return { assessment: result.assessment, state: result.state };
    });
    await this.predictions.save(vehicleId, scored, now);
    // After the save, from what was stored: a failure retries the whole (idempotent) score job.
    await this.reminders?.evaluate(vehicleId, now);
    // Last: a worker killed before this point (it was: SIGKILL between the save and the reminders left cars
    // scored and never reminded) leaves the vehicle on the reconciler's list.
    await this.predictions.markScored(vehicleId, vehicle.telemetryVersion, now);
    const worst = scored.map((s) => `${s.assessment.component}=${s.assessment.risk}`).join(' ');
    return { status: 'done', detail: `${history.samples.length} points; ${worst}` };
  }
}
