import { SEGMENT_GAP_MS, type ComponentName, type MaintenanceModel, type SavedSummary } from '#app/maintenance';
import { planSummaryReuse } from './summary-reuse.policy.js';

const incremental = (component: ComponentName, summaryVersion = 'v1'): MaintenanceModel =>
  ({ component, version: '1', summaryVersion, fold: () => ({}), decide: () => ({}), assess: () => ({}) }) as unknown as MaintenanceModel;
/** A model that also folds device tyre readings, its watermark in its summary (`tiresUntil`). */
const tyres = (): MaintenanceModel =>
  ({
    component: 'TIRES',
    version: '1',
    summaryVersion: 'v1',
    fold: () => ({}),
    decide: () => ({}),
    assess: () => ({}),
    tireReadings: { foldedUntilMs: (summary: { tiresUntil: number | null }) => summary.tiresUntil },
  }) as unknown as MaintenanceModel;
const tyreSummary = (closedUntilMs: number, tiresUntil: number | null): SavedSummary<unknown> => ({
  summaryVersion: 'v1',
  closedUntilMs,
  summary: { tiresUntil },
});
const classic = (component: ComponentName): MaintenanceModel => ({ component, version: '1', assess: () => ({}) }) as unknown as MaintenanceModel;
const saved = (closedUntilMs: number | null, summaryVersion = 'v1'): SavedSummary<unknown> => ({ summaryVersion, closedUntilMs, summary: {} });

const T = Date.UTC(2026, 11, 1, 8);

describe(planSummaryReuse.name, () => {
  it('continues every model from its summary and reads after the oldest closedUntil', () => {
    const plan = planSummaryReuse(
      [incremental('BATTERY'), incremental('DIAGNOSTICS')],
      new Map([
        ['BATTERY', saved(T)],
        ['DIAGNOSTICS', saved(T - 60_000)],
      ]),
      null,
    );
    expect(plan.readAfter).toEqual(new Date(T - 60_000));
    expect(plan.rebuild).toBe(false);
    expect(plan.reuse.get('BATTERY')).toEqual(saved(T));
  });

  it('rebuilds a summary of another version, reading the whole window', () => {
    const plan = planSummaryReuse(
      [incremental('BATTERY', 'v2'), incremental('DIAGNOSTICS')],
      new Map([
        ['BATTERY', saved(T)],
        ['DIAGNOSTICS', saved(T)],
      ]),
      null,
    );
    expect(plan).toMatchObject({ readAfter: null, rebuild: true });
    expect(plan.reuse.get('BATTERY')).toBeNull();
    expect(plan.reuse.get('DIAGNOSTICS')).toEqual(saved(T));
  });

  it('rebuilds when a late sample may fall into a folded segment, not when it starts a segment of its own', () => {
    const models = [incremental('BATTERY')];
    const summaries = new Map([['BATTERY', saved(T)]]);
    expect(planSummaryReuse(models, summaries, new Date(T + SEGMENT_GAP_MS))).toMatchObject({ readAfter: null, rebuild: true });
    expect(planSummaryReuse(models, summaries, new Date(T + SEGMENT_GAP_MS + 1))).toMatchObject({ readAfter: new Date(T), rebuild: false });
  });

  it('treats a first score (no summary) as no rebuild, and a model without incremental support as a whole-window read', () => {
    expect(planSummaryReuse([incremental('BATTERY')], new Map(), null)).toMatchObject({ readAfter: null, rebuild: false });
    expect(planSummaryReuse([incremental('BATTERY'), classic('TIRES')], new Map([['BATTERY', saved(T)]]), null)).toMatchObject({
      readAfter: null,
      rebuild: false,
    });
  });

  it('continues from a summary that folded nothing closed yet by reading the whole window, without counting a rebuild', () => {
    expect(planSummaryReuse([incremental('BATTERY')], new Map([['BATTERY', saved(null)]]), new Date(T))).toMatchObject({
      readAfter: null,
      rebuild: false,
    });
  });

  it('reads device tyre readings from the oldest tyre watermark, and the whole window when a tyre summary has none', () => {
    const DAY = 86_400_000;
    const midnight = T - (T % DAY);
    const plan = planSummaryReuse(
      [incremental('BATTERY'), tyres()],
      new Map([
        ['BATTERY', saved(T)],
        ['TIRES', tyreSummary(T, midnight - DAY)],
      ]),
      null,
    );
    expect(plan).toMatchObject({ readAfter: new Date(T), tireReadingsFrom: new Date(midnight - DAY), rebuild: false });
    // No model folding tyre readings (no watermark), or one that folded none yet, or a classic model: read whole.
    expect(planSummaryReuse([incremental('BATTERY')], new Map([['BATTERY', saved(T)]]), null).tireReadingsFrom).toBeNull();
    expect(planSummaryReuse([tyres()], new Map([['TIRES', tyreSummary(T, null)]]), null)).toMatchObject({
      readAfter: new Date(T),
      tireReadingsFrom: null,
    });
    expect(planSummaryReuse([tyres(), classic('BATTERY')], new Map([['TIRES', tyreSummary(T, midnight)]]), null).tireReadingsFrom).toBeNull();
  });

  it('rebuilds the tyre summary when a late sample (its tyre readings come with it) falls into a folded day', () => {
    const DAY = 86_400_000;
    const midnight = T - (T % DAY);
    const summaries = new Map([['TIRES', tyreSummary(midnight - 2 * DAY, midnight - DAY)]]);
    // After the telemetry watermark by more than a segment gap, but inside the last folded tyre day.
    expect(planSummaryReuse([tyres()], summaries, new Date(midnight - DAY - 1))).toMatchObject({
      readAfter: null,
      tireReadingsFrom: null,
      rebuild: true,
    });
    expect(planSummaryReuse([tyres()], summaries, new Date(midnight - DAY))).toMatchObject({
      readAfter: new Date(midnight - 2 * DAY),
      tireReadingsFrom: new Date(midnight - DAY),
      rebuild: false,
    });
  });
});
