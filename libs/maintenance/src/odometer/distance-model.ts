// The one odometer fold every distance model (tyres, service schedule) shares: their summaries hold the
// odometer track (odometer-track.ts), folded, pruned and read the same way; each model adds only its
// decision (decideOn) and, where it folds more than the odometer, its own part of the summary.
import { assessInFull, type DecisionContext, type TelemetrySegment } from '../incremental/index.js';
import type { ComponentName, ModelResult, VehicleHistory } from '../maintenance-model.js';
import type { DistanceSummary, OdometerBasedModel } from './odometer-aware.model.js';
import { emptyOdometerTrack, finishTrack, foldOdometer, odometerView, pruneOdometer, type OdometerView } from './odometer-track.js';

export function emptyDistanceSummary(): DistanceSummary {
  return { odometer: emptyOdometerTrack() };
}

export abstract class DistanceModel<Summary extends DistanceSummary, State> implements OdometerBasedModel<Summary, State> {
  abstract readonly component: ComponentName;
  abstract readonly version: string;
  abstract readonly summaryVersion: string;

  abstract emptySummary(): Summary;

  fold(summary: Summary, segment: TelemetrySegment): Summary {
    foldOdometer(summary.odometer, segment);
    return summary;
  }

  prune(summary: Summary, horizonMs: number): Summary {
    pruneOdometer(summary.odometer, horizonMs);
    return summary;
  }

  assess(history: VehicleHistory, previousState: State | undefined, now: Date): ModelResult<State> {
    return assessInFull(this, history, previousState, now);
  }

  /** Bare (without OdometerAwareModel): the odometer as the cleaner left it, jumps counted as driven. */
  decide(summary: Summary, context: DecisionContext, previousState: State | undefined, now: Date): ModelResult<State> {
    return this.decideOn(odometerView(finishTrack(summary.odometer, [], now)), summary, context, previousState, now);
  }

  abstract decideOn(view: OdometerView, summary: Summary, context: DecisionContext, previousState: State | undefined, now: Date): ModelResult<State>;
}
