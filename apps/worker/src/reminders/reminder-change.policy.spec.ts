import type { Prisma } from '#app/database';
import type { ComponentAssessment, Finding } from '#app/maintenance';
import { COMPONENTS, type ComponentName, type Risk } from '#app/maintenance/vocabulary';
import { currentFindingsOf, scoredFindingsOf } from './reminder-content.mapper.js';
import { remindersMayChange, type ReminderChangeInput } from './reminder-change.policy.js';
import { evaluateReminders } from './reminder-evaluation.policy.js';

const VEHICLE = '6f0c6a52-0000-4000-8000-000000000002';
const SCORED_AT = new Date('2026-12-07T09:00:00.000Z');

const aFinding = (risk: Risk, overrides: Partial<Finding> = {}): Finding => ({
  code: 'TIRE_TREAD_WEAR',
  subject: 'FL',
  risk,
  message: 'Front left tyre.',
  params: { wheel: 'FL', treadMm: 2.8 },
  ...overrides,
});

const anAssessment = (component: ComponentName, findings: Finding[] = [], overrides: Partial<ComponentAssessment> = {}): ComponentAssessment => ({
  component,
  modelVersion: `${component.toLowerCase()}/1`,
  health: 90,
  risk: 'OK',
  confidence: { kind: 'probability', value: 0.9 },
  evidence: {},
  explanation: 'Fine.',
  findings,
  ...overrides,
});

/** A score of every component, healthy unless `findings` says otherwise for one of them. */
const aScore = (findings: Partial<Record<ComponentName, Finding[]>> = {}): ComponentAssessment[] =>
  COMPONENTS.map((component) => anAssessment(component, findings[component] ?? [aFinding('OK', { code: `${component}_OK`, subject: '' })]));

const anInput = (overrides: Partial<ReminderChangeInput> = {}): ReminderChangeInput => ({
  vehicleId: VEHICLE,
  assessments: aScore(),
  scoredAt: SCORED_AT,
  hasActiveReminder: false,
  ...overrides,
});

/** What the evaluation would decide on the stored rows of these assessments with no active reminder. */
const evaluationActsOn = (assessments: readonly ComponentAssessment[]): boolean =>
  evaluateReminders({
    vehicleId: VEHICLE,
    findings: currentFindingsOf(
      assessments.map((a) => ({
        component: a.component,
        // As the jsonb column gives it back.
        findings: JSON.parse(JSON.stringify(a.findings)) as Prisma.JsonValue,
        dueAt: a.dueAt ?? null,
        dueOdometerKm: a.dueOdometerKm ?? null,
        scoredAt: SCORED_AT,
      })),
    ),
    scoredComponents: new Set(assessments.map((a) => a.component)),
    active: [],
    now: SCORED_AT,
  }).length > 0;

describe(remindersMayChange.name, () => {
  it('says no for a healthy car with no active reminder: OK and WATCH findings are not reminded about', () => {
    expect(remindersMayChange(anInput())).toBe(false);
    expect(remindersMayChange(anInput({ assessments: aScore({ BATTERY: [aFinding('WATCH', { code: 'BATTERY_WEAK', subject: '' })] }) }))).toBe(false);
  });

  it.each(['SOON', 'URGENT', 'CRITICAL'] as const)('says yes for a %s finding: the evaluation creates its reminder', (risk) => {
    expect(remindersMayChange(anInput({ assessments: aScore({ TIRES: [aFinding(risk)] }) }))).toBe(true);
  });

  it('says yes whenever a reminder is active, healthy or not (a need gone closes it, a snoozed one may wake)', () => {
    expect(remindersMayChange(anInput({ hasActiveReminder: true }))).toBe(true);
  });

  it('says yes when the score leaves a component out: the evaluation would read that one as stored', () => {
    const partial = aScore().filter((a) => a.component !== 'DIAGNOSTICS');
    expect(remindersMayChange(anInput({ assessments: partial }))).toBe(true);
  });

  it('answers as the evaluation on the stored rows: a finding the stored row would not parse asks for nothing', () => {
    const cases: ComponentAssessment[][] = [
      aScore(),
      aScore({ TIRES: [aFinding('SOON')] }),
      aScore({ TIRES: [aFinding('WATCH'), aFinding('URGENT', { subject: 'FR' })] }),
      // An empty code is not a finding to currentFindingsOf (as stored or not).
      aScore({ DIAGNOSTICS: [aFinding('CRITICAL', { code: '' })] }),
      // A param that JSON turns into null fails the stored row's parse: the evaluation would skip it too.
      aScore({ BATTERY: [aFinding('SOON', { code: 'BATTERY_WEAK', subject: '', params: { voltage: Number.NaN } })] }),
    ];
    expect(cases.map((assessments) => remindersMayChange(anInput({ assessments })))).toEqual(cases.map(evaluationActsOn));
    expect(cases.map(evaluationActsOn)).toEqual([false, true, true, false, false]);
  });
});

describe(scoredFindingsOf.name, () => {
  it("maps an assessment as the saved prediction reads back: the component's due date and km, a wheel's own from its params, scoredAt", () => {
    const dueAt = new Date('2027-03-01T00:00:00.000Z');
    const wheelDue = '2027-01-15T00:00:00.000Z';
    const tires = anAssessment(
      'TIRES',
      [aFinding('SOON', { params: { wheel: 'FL', dueDate: wheelDue, dueOdometerKm: 41_000 } }), aFinding('WATCH', { subject: 'FR' })],
      {
        dueAt,
        dueOdometerKm: 45_000,
      },
    );
    const battery = anAssessment('BATTERY', [aFinding('OK', { code: 'BATTERY_OK', subject: '' })]);
    expect(scoredFindingsOf([tires, battery], SCORED_AT)).toEqual([
      { component: 'TIRES', finding: tires.findings[0], dueAt: new Date(wheelDue), dueOdometerKm: 41_000, scoredAt: SCORED_AT },
      { component: 'TIRES', finding: tires.findings[1], dueAt, dueOdometerKm: 45_000, scoredAt: SCORED_AT },
      { component: 'BATTERY', finding: battery.findings[0], dueAt: null, dueOdometerKm: null, scoredAt: SCORED_AT },
    ]);
  });
});
