import { SEGMENT_GAP_MS, type ComponentName, type MaintenanceModel, type SavedSummary } from '#app/maintenance';
import { planSummaryReuse } from './summary-reuse.policy.js';

const incremental = (component: ComponentName, summaryVersion = 'v1'): MaintenanceModel =>
  ({ component, version: '1', summaryVersion, fold: () => ({}), decide: () => ({}), assess: () => ({}) }) as unknown as MaintenanceModel;
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
});
