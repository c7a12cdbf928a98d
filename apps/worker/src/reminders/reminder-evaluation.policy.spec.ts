import type { Finding, Risk } from '#app/maintenance';
import {
  type ActiveReminder,
  type CurrentFinding,
  dedupKeyOf,
  type EvaluationInput,
  evaluateReminders,
  forecastMoved,
} from './reminder-evaluation.policy.js';

const VEHICLE = '6f0c6a52-0000-4000-8000-000000000001';
const NOW = new Date('2026-11-10T08:00:00Z');
const DAY = 86_400_000;

const aFinding = (overrides: Partial<Finding> = {}): Finding => ({
  code: 'TIRE_TREAD_WEAR',
  subject: 'FL',
  risk: 'SOON',
  message: 'Front left tyre: 2.8 mm of tread.',
  params: { wheel: 'FL', treadMm: 2.8 },
  ...overrides,
});

const aCurrent = (finding: Partial<Finding> = {}, dueAt: Date | null = null): CurrentFinding => ({
  component: 'TIRES',
  finding: aFinding(finding),
  dueAt,
  dueOdometerKm: null,
});

const aReminder = (overrides: Partial<ActiveReminder> = {}): ActiveReminder => ({
  id: 'r1',
  dedupKey: dedupKeyOf(VEHICLE, 'TIRES', { code: 'TIRE_TREAD_WEAR', subject: 'FL' }),
  component: 'TIRES',
  status: 'OPEN',
  risk: 'SOON',
  dueAt: null,
  version: 1,
  ...overrides,
});

const anInput = (overrides: Partial<EvaluationInput> = {}): EvaluationInput => ({
  vehicleId: VEHICLE,
  findings: [],
  scoredComponents: new Set(['TIRES', 'BATTERY']),
  active: [],
  now: NOW,
  ...overrides,
});

describe(evaluateReminders.name, () => {
  const sut = evaluateReminders;

  it.each<Risk>(['SOON', 'URGENT', 'CRITICAL'])('opens a reminder for a %s finding', (risk) => {
    const actions = sut(anInput({ findings: [aCurrent({ risk })] }));
    expect(actions).toEqual([{ kind: 'create', dedupKey: `${VEHICLE}:TIRES:TIRE_TREAD_WEAR:FL`, current: aCurrent({ risk }) }]);
  });

  it.each<Risk>(['OK', 'WATCH'])('opens nothing for a %s finding', (risk) => {
    expect(sut(anInput({ findings: [aCurrent({ risk })] }))).toEqual([]);
  });

  it('opens one reminder per wheel: the subject is part of the key', () => {
    const actions = sut(anInput({ findings: [aCurrent({ subject: 'FL' }), aCurrent({ subject: 'RR' })] }));
    expect(actions.map((a) => (a.kind === 'create' ? a.dedupKey : a.kind))).toEqual([
      `${VEHICLE}:TIRES:TIRE_TREAD_WEAR:FL`,
      `${VEHICLE}:TIRES:TIRE_TREAD_WEAR:RR`,
    ]);
  });

  it('changes nothing when the same findings come again (idempotent)', () => {
    expect(sut(anInput({ findings: [aCurrent()], active: [aReminder()] }))).toEqual([]);
  });

  it('does not reopen a need that already has an active reminder in any active status', () => {
    for (const status of ['ACKNOWLEDGED', 'SNOOZED', 'BOOKED'] as const) {
      expect(sut(anInput({ findings: [aCurrent()], active: [aReminder({ status })] }))).toEqual([]);
    }
  });

  it('updates and notifies at once when the risk goes up on an open or acknowledged reminder', () => {
    for (const status of ['OPEN', 'ACKNOWLEDGED'] as const) {
      const [action] = sut(anInput({ findings: [aCurrent({ risk: 'URGENT' })], active: [aReminder({ status })] }));
      expect(action).toMatchObject({ kind: 'update', notifyNow: true, wake: false });
    }
  });

  it('keeps a snoozed reminder quiet when it escalates below CRITICAL, and wakes it for CRITICAL', () => {
    const [urgent] = sut(anInput({ findings: [aCurrent({ risk: 'URGENT' })], active: [aReminder({ status: 'SNOOZED' })] }));
    expect(urgent).toMatchObject({ kind: 'update', notifyNow: false, wake: false });
    const [critical] = sut(anInput({ findings: [aCurrent({ risk: 'CRITICAL' })], active: [aReminder({ status: 'SNOOZED' })] }));
    expect(critical).toMatchObject({ kind: 'update', notifyNow: true, wake: true });
  });

  it('never notifies a booked reminder, even for CRITICAL', () => {
    const [action] = sut(anInput({ findings: [aCurrent({ risk: 'CRITICAL' })], active: [aReminder({ status: 'BOOKED' })] }));
    expect(action).toMatchObject({ kind: 'update', notifyNow: false, wake: false });
  });

  it('updates without notifying when the risk goes down but stays remindable', () => {
    const [action] = sut(anInput({ findings: [aCurrent({ risk: 'SOON' })], active: [aReminder({ risk: 'URGENT' })] }));
    expect(action).toMatchObject({ kind: 'update', notifyNow: false });
  });

  it('closes a reminder whose finding is gone from a new score', () => {
    expect(sut(anInput({ findings: [], active: [aReminder()] }))).toEqual([{ kind: 'close', reminder: aReminder(), reason: 'finding gone' }]);
  });

  it('closes a reminder whose finding fell below SOON, saying to what', () => {
    expect(sut(anInput({ findings: [aCurrent({ risk: 'WATCH' })], active: [aReminder()] }))).toEqual([
      { kind: 'close', reminder: aReminder(), reason: 'risk fell to WATCH' },
    ]);
  });

  it('leaves a reminder alone when its component has no prediction at all', () => {
    expect(sut(anInput({ scoredComponents: new Set(['BATTERY']), active: [aReminder()] }))).toEqual([]);
  });

  it('closes a second active reminder for the same need', () => {
    const actions = sut(anInput({ findings: [aCurrent()], active: [aReminder(), aReminder({ id: 'r2' })] }));
    expect(actions).toEqual([{ kind: 'close', reminder: aReminder({ id: 'r2' }), reason: 'duplicate' }]);
  });
});

describe(forecastMoved.name, () => {
  const sut = forecastMoved;
  const dueIn = (days: number) => new Date(NOW.getTime() + days * DAY);

  it('is true when the risk changes', () => {
    expect(sut({ risk: 'SOON', dueAt: null }, aCurrent({ risk: 'URGENT' }), NOW)).toBe(true);
  });

  it('ignores a due date moving by less than a day', () => {
    expect(sut({ risk: 'SOON', dueAt: dueIn(5) }, aCurrent({}, new Date(dueIn(5).getTime() + 20 * 3_600_000)), NOW)).toBe(false);
  });

  it('ignores a move of more than a day that is under 10 % of the time left', () => {
    expect(sut({ risk: 'SOON', dueAt: dueIn(100) }, aCurrent({}, dueIn(95)), NOW)).toBe(false);
  });

  it('counts a move of more than a day and more than 10 % of the time left', () => {
    expect(sut({ risk: 'SOON', dueAt: dueIn(20) }, aCurrent({}, dueIn(16)), NOW)).toBe(true);
  });

  it('counts a due date appearing or vanishing', () => {
    expect(sut({ risk: 'SOON', dueAt: null }, aCurrent({}, dueIn(20)), NOW)).toBe(true);
    expect(sut({ risk: 'SOON', dueAt: dueIn(20) }, aCurrent({}, null), NOW)).toBe(true);
  });
});
