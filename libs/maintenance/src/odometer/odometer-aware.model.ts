// Distance-based models (tyres, service schedule) run behind this wrapper: it finds odometer jumps,
// resets and rollbacks (and staff-confirmed changes), puts the odometer on the car's current scale so the
// distance across an event is never counted as driven, and reports the events in the evidence. The
// models decide from the odometer track (odometer-track.ts) the wrapper hands them: on the current scale
// here, as the cleaner left it when they run bare.
import { assessInFull, type DecisionContext, type IncrementalModel, type TelemetrySegment, type TireReadingFold } from '../incremental/index.js';
import type { EvidenceValue, ModelResult, VehicleHistory } from '../maintenance-model.js';
import { describeOdometerEvent, detectOdometerEvents, mergeOdometerEvents, onCurrentScale, type OdometerEvent } from './odometer-events.js';
import { finishTrack, odometerView, type OdometerTrack, type OdometerView } from './odometer-track.js';

/** Moves every odometer value the model's state holds from before `before` by `deltaKm`. */
export type OdometerStateShift<S> = (state: S, before: Date, deltaKm: number) => S;

export interface OdometerAwareState<S> {
  odometerAware: 1;
  inner: S | undefined;
  events: OdometerEvent[];
}

/** A summary with the odometer track in it: what every distance model folds. */
export interface DistanceSummary {
  odometer: OdometerTrack;
}

/** A distance model: decides from an odometer view (bare: the cleaner's; wrapped: on the current scale). */
export interface OdometerBasedModel<Summary extends DistanceSummary, S> extends IncrementalModel<Summary, S> {
  decideOn(view: OdometerView, summary: Summary, context: DecisionContext, previousState: S | undefined, now: Date): ModelResult<S>;
}

/** Events older than this leave the evidence (their effect stays: the state has been moved). */
const EVIDENCE_DAYS = 180;

export class OdometerAwareModel<Summary extends DistanceSummary, S> implements IncrementalModel<Summary, OdometerAwareState<S>> {
  readonly component: OdometerBasedModel<Summary, S>['component'];
  readonly version: string;
  readonly summaryVersion: string;
  readonly tireReadings?: TireReadingFold<Summary>;

  constructor(
    private readonly inner: OdometerBasedModel<Summary, S>,
    private readonly shiftState: OdometerStateShift<S>,
  ) {
    this.component = inner.component;
    this.version = inner.version;
    // The same summary as the bare model: the wrapper reads it differently, it folds nothing of its own.
    this.summaryVersion = inner.summaryVersion;
    if (inner.tireReadings !== undefined) this.tireReadings = inner.tireReadings;
  }

  emptySummary(): Summary {
    return this.inner.emptySummary();
  }

  fold(summary: Summary, segment: TelemetrySegment): Summary {
    return this.inner.fold(summary, segment);
  }

  prune(summary: Summary, horizonMs: number): Summary {
    return this.inner.prune(summary, horizonMs);
  }

  assess(history: VehicleHistory, previousState: OdometerAwareState<S> | undefined, now: Date): ModelResult<OdometerAwareState<S>> {
    return assessInFull(this, history, previousState, now);
  }

  decide(
    summary: Summary,
    context: DecisionContext,
    previousState: OdometerAwareState<S> | undefined,
    now: Date,
  ): ModelResult<OdometerAwareState<S>> {
    const previous = unwrap(previousState);
    const corrections = (context.odometerCorrections ?? []).filter((c) => c.effectiveAt.getTime() <= now.getTime());
    const finished = finishTrack(summary.odometer, corrections, now);
    const ownView = odometerView(finished);
    const { events, added } = mergeOdometerEvents(previous.events, detectOdometerEvents(ownView.cleaning, corrections), corrections);
    let innerState = previous.inner;
    // The saved state is on the scale of the previous run: move it once per newly seen event.
    for (const e of added) if (innerState !== undefined) innerState = this.shiftState(innerState, new Date(e.at), e.deltaKm);

    const moved = onCurrentScale({ ...context, samples: [] }, events);
    const scaled: DecisionContext = { ...context, tireReadings: moved.tireReadings, serviceEvents: moved.serviceEvents };
    // Without events the current scale is the cleaner's own: the same view (most cars, most scores).
    const view = events.length === 0 ? ownView : odometerView(finished, events);
    const result = this.inner.decideOn(view, summary, scaled, innerState, now);
    const recent = events.filter((e) => now.getTime() - Date.parse(e.at) <= EVIDENCE_DAYS * 86_400_000);
    const evidence: Record<string, EvidenceValue> = {
      ...result.assessment.evidence,
      odometerEvents: recent.map((e) => ({ ...eventEvidence(e), text: describeOdometerEvent(e) })),
    };
    return { assessment: { ...result.assessment, evidence }, state: { odometerAware: 1, inner: result.state, events } };
  }
}

function eventEvidence(e: OdometerEvent): Record<string, EvidenceValue> {
  return {
    kind: e.kind,
    at: e.at,
    fromKm: e.fromKm,
    toKm: e.toKm,
    deltaKm: e.deltaKm,
    confirmed: e.confirmed,
    confirmedBy: e.confirmedBy ?? null,
    confirmedAt: e.confirmedAt ?? null,
  };
}

/** States saved before this wrapper existed are the inner model's own. */
function unwrap<S>(state: OdometerAwareState<S> | S | undefined): { inner: S | undefined; events: OdometerEvent[] } {
  if (state !== undefined && state !== null && typeof state === 'object' && 'odometerAware' in state) {
    const wrapped = state;
    return { inner: wrapped.inner, events: wrapped.events };
  }
  return { inner: state, events: [] };
}
