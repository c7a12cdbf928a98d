// Distance-based models (tyres, service schedule) run behind this wrapper: it finds odometer jumps,
// resets and rollbacks (and staff-confirmed changes), puts the whole history on the car's current
// odometer scale so the distance across an event is never counted as driven, and reports the events in
// the evidence. The models themselves stay unaware of it.
import type { EvidenceValue, MaintenanceModel, ModelResult, VehicleHistory } from '../maintenance-model.js';
import { cleanOdometer } from './odometer-cleaner.js';
import { describeOdometerEvent, detectOdometerEvents, mergeOdometerEvents, onCurrentScale, type OdometerEvent } from './odometer-events.js';

/** Moves every odometer value the model's state holds from before `before` by `deltaKm`. */
export type OdometerStateShift<S> = (state: S, before: Date, deltaKm: number) => S;

export interface OdometerAwareState<S> {
  odometerAware: 1;
  inner: S | undefined;
  events: OdometerEvent[];
}

/** Events older than this leave the evidence (their effect stays: the state has been moved). */
const EVIDENCE_DAYS = 180;

export class OdometerAwareModel<S> implements MaintenanceModel<OdometerAwareState<S>> {
  readonly component: MaintenanceModel<S>['component'];
  readonly version: string;

  constructor(
    private readonly inner: MaintenanceModel<S>,
    private readonly shiftState: OdometerStateShift<S>,
  ) {
    this.component = inner.component;
    this.version = inner.version;
  }

  assess(history: VehicleHistory, previousState: OdometerAwareState<S> | undefined, now: Date): ModelResult<OdometerAwareState<S>> {
    const previous = unwrap(previousState);
    const corrections = (history.odometerCorrections ?? []).filter((c) => c.effectiveAt.getTime() <= now.getTime());
    const cleaning = cleanOdometer(
      history.samples.filter((s) => s.ts.getTime() <= now.getTime()),
      { breaksAt: corrections.map((c) => c.effectiveAt) },
    );
    const { events, added } = mergeOdometerEvents(previous.events, detectOdometerEvents(cleaning, corrections), corrections);
    let innerState = previous.inner;
    // The saved state is on the scale of the previous run: move it once per newly seen event.
    for (const e of added) if (innerState !== undefined) innerState = this.shiftState(innerState, new Date(e.at), e.deltaKm);

    const result = this.inner.assess(onCurrentScale(history, events), innerState, now);
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
