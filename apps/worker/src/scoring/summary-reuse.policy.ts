import { isIncrementalModel, SEGMENT_GAP_MS, type MaintenanceModel, type SavedSummary } from '#app/maintenance';

export interface SummaryReusePlan {
  /** Per component, the saved summary to continue from; null: fold the whole window (full path). */
  reuse: Map<string, SavedSummary<unknown> | null>;
  /** Read telemetry after this (the oldest closedUntil reused); null: the whole window. */
  readAfter: Date | null;
  /** Read device tyre readings from this ms on (the oldest tyre-reading watermark reused); null: the whole window. */
  tireReadingsFrom: Date | null;
  /** Some model had a summary it cannot reuse: the full read this costs is a rebuild (rate-limited). */
  rebuild: boolean;
}

/**
 * Which saved summaries a score may continue from. A summary is reused only when it is of the model's
 * current summaryVersion and no late sample (vehicles.lateSampleTs) can have fallen into a segment it
 * already folded: a sample later than its closedUntil by more than the segment gap starts a segment of
 * its own and is read anyway. A model that folds device tyre readings (per UTC day, its watermark in its
 * summary) also needs the late sample after that watermark: the readings come with their samples, so the
 * same mark covers them. A model without incremental support needs the whole window of everything.
 */
export function planSummaryReuse(
  models: readonly MaintenanceModel[],
  saved: ReadonlyMap<string, SavedSummary<unknown> | null>,
  lateSampleTs: Date | null,
): SummaryReusePlan {
  const reuse = new Map<string, SavedSummary<unknown> | null>();
  let readAfterMs: number | null = Infinity;
  let tiresFromMs: number | null = Infinity;
  let rebuild = false;
  for (const model of models) {
    if (!isIncrementalModel(model)) {
      readAfterMs = null;
      tiresFromMs = null;
      continue;
    }
    const summary = saved.get(model.component) ?? null;
    const tiresUntilMs = summary !== null && model.tireReadings !== undefined ? model.tireReadings.foldedUntilMs(summary.summary) : null;
    const usable =
      summary !== null &&
      summary.summaryVersion === model.summaryVersion &&
      (summary.closedUntilMs === null || lateSampleTs === null || lateSampleTs.getTime() > summary.closedUntilMs + SEGMENT_GAP_MS) &&
      (tiresUntilMs === null || lateSampleTs === null || lateSampleTs.getTime() >= tiresUntilMs);
    if (summary !== null && !usable) rebuild = true;
    reuse.set(model.component, usable ? summary : null);
    // A summary that folded nothing closed yet continues from nothing: the window is read whole.
    if (!usable || summary.closedUntilMs === null) readAfterMs = null;
    else if (readAfterMs !== null) readAfterMs = Math.min(readAfterMs, summary.closedUntilMs);
    if (model.tireReadings === undefined) continue;
    if (!usable || tiresUntilMs === null) tiresFromMs = null;
    else if (tiresFromMs !== null) tiresFromMs = Math.min(tiresFromMs, tiresUntilMs);
  }
  const at = (ms: number | null): Date | null => (ms === null || ms === Infinity ? null : new Date(ms));
  return { reuse, readAfter: at(readAfterMs), tireReadingsFrom: at(tiresFromMs), rebuild };
}
