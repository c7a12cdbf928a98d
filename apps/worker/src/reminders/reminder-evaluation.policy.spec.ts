import type { Finding, Risk } from '#app/maintenance';
import {
  type ActiveItem,
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

const anItem = (subject = 'FL', overrides: Partial<ActiveItem> = {}): ActiveItem => ({
  id: `i-${subject}`,
  dedupKey: dedupKeyOf(VEHICLE, 'TIRES', { code: 'TIRE_TREAD_WEAR', subject }),
  component: 'TIRES',
  status: 'OPEN',
  risk: 'SOON',
  dueAt: null,
  closedAt: null,
  ...overrides,
});

const TIRE_VISIT = `${VEHICLE}:visit:TIRES`;

/** A tyre visit with its front-left need open; `risk` sets the reminder's and that need's risk alike. */
const aReminder = (overrides: Partial<ActiveReminder> = {}): ActiveReminder => ({
  id: 'r1',
  visitKey: TIRE_VISIT,
  status: 'OPEN',
  risk: overrides.risk ?? 'SOON',
  version: 1,
  items: [anItem('FL', { risk: overrides.risk ?? 'SOON' })],
  ...overrides,
});

const needOf = (current: CurrentFinding) => ({ dedupKey: dedupKeyOf(VEHICLE, current.component, current.finding), current });

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
    expect(actions).toEqual([{ kind: 'create', visitKey: TIRE_VISIT, visit: 'TIRES', needs: [needOf(aCurrent({ risk }))] }]);
  });

  it.each<Risk>(['OK', 'WATCH'])('opens nothing for a %s finding', (risk) => {
    expect(sut(anInput({ findings: [aCurrent({ risk })] }))).toEqual([]);
  });

  it('opens one reminder for the four wheels of one tyre visit, each wheel a need of its own', () => {
    const wheels = ['FL', 'FR', 'RL', 'RR'].map((subject) => aCurrent({ subject }));
    const actions = sut(anInput({ findings: wheels }));
    expect(actions).toEqual([{ kind: 'create', visitKey: TIRE_VISIT, visit: 'TIRES', needs: wheels.map(needOf) }]);
    expect(actions[0]?.kind === 'create' && actions[0].needs.map((n) => n.dedupKey)).toEqual(
      ['FL', 'FR', 'RL', 'RR'].map((w) => `${VEHICLE}:TIRES:TIRE_TREAD_WEAR:${w}`),
    );
  });

  it('opens one service visit for the schedule items due together, and a trip of its own for a battery need', () => {
    const service = (subject: string): CurrentFinding => ({
      component: 'SERVICE_SCHEDULE',
      finding: aFinding({ code: 'SERVICE_DUE', subject, params: { item: subject } }),
      dueAt: null,
      dueOdometerKm: null,
    });
    const battery: CurrentFinding = {
      component: 'BATTERY',
      finding: aFinding({ code: 'BATTERY_WEAK', subject: 'battery' }),
      dueAt: null,
      dueOdometerKm: null,
    };
    const actions = sut(anInput({ findings: [service('oil'), service('air-filter'), service('inspection'), battery] }));
    expect(actions.map((a) => (a.kind === 'create' ? [a.visitKey, a.visit, a.needs.length] : a.kind))).toEqual([
      [`${VEHICLE}:visit:SERVICE`, 'SERVICE', 3],
      [`${VEHICLE}:BATTERY:BATTERY_WEAK:battery`, null, 1],
    ]);
  });

  it('adds a later need of the same visit to the active reminder, quietly while it does not raise the risk', () => {
    const [action] = sut(anInput({ findings: [aCurrent({ subject: 'FL' }), aCurrent({ subject: 'FR' })], active: [aReminder()] }));
    expect(action).toEqual({
      kind: 'update',
      reminder: aReminder(),
      changes: [{ kind: 'add', need: needOf(aCurrent({ subject: 'FR' })) }],
      risk: 'SOON',
      notifyNow: false,
      wake: false,
    });
  });

  it('tells the owner at once (one update) when a joining need raises the visit risk', () => {
    const [action, ...more] = sut(
      anInput({
        findings: [aCurrent({ subject: 'FL' }), aCurrent({ subject: 'FR', risk: 'URGENT' }), aCurrent({ subject: 'RL', risk: 'URGENT' })],
        active: [aReminder()],
      }),
    );
    expect(more).toEqual([]);
    expect(action).toMatchObject({ kind: 'update', risk: 'URGENT', notifyNow: true });
    expect(action?.kind === 'update' && action.changes.map((c) => c.kind)).toEqual(['add', 'add']);
  });

  it('closes one wheel whose need is gone and keeps the visit open for the others', () => {
    const reminder = aReminder({ items: [anItem('FL'), anItem('FR')] });
    const [action] = sut(anInput({ findings: [aCurrent({ subject: 'FR' })], active: [reminder] }));
    expect(action).toMatchObject({
      kind: 'update',
      risk: 'SOON',
      notifyNow: false,
      changes: [{ kind: 'close', item: anItem('FL'), reason: 'finding gone' }],
    });
  });

  it('leaves a wheel marked done after the prediction was scored closed, and reopens it for a later score', () => {
    const doneAt = new Date(NOW.getTime() - 1000);
    const reminder = aReminder({ items: [anItem('FL', { status: 'DONE', closedAt: doneAt }), anItem('FR')] });
    const stale = { ...aCurrent({ subject: 'FL' }), scoredAt: new Date(doneAt.getTime() - 60_000) };
    expect(sut(anInput({ findings: [stale, aCurrent({ subject: 'FR' })], active: [reminder] }))).toEqual([]);
    const later = { ...aCurrent({ subject: 'FL' }), scoredAt: NOW };
    const [action] = sut(anInput({ findings: [later, aCurrent({ subject: 'FR' })], active: [reminder] }));
    expect(action).toMatchObject({ kind: 'update', changes: [{ kind: 'reopen', item: reminder.items[0] }] });
  });

  it('folds a second active reminder of one visit (written per wheel before visits) into the oldest', () => {
    const perWheel = aReminder({ id: 'r2', items: [anItem('FR')] });
    const actions = sut(anInput({ findings: [aCurrent({ subject: 'FL' }), aCurrent({ subject: 'FR' })], active: [aReminder(), perWheel] }));
    expect(actions).toEqual([
      {
        kind: 'update',
        reminder: aReminder(),
        changes: [{ kind: 'add', need: needOf(aCurrent({ subject: 'FR' })) }],
        risk: 'SOON',
        notifyNow: false,
        wake: false,
      },
      { kind: 'close', reminder: perWheel, reason: 'merged into the visit', changes: [{ kind: 'close', item: anItem('FR'), reason: 'merged' }] },
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
    expect(sut(anInput({ findings: [], active: [aReminder()] }))).toEqual([
      { kind: 'close', reminder: aReminder(), reason: 'finding gone', changes: [{ kind: 'close', item: anItem('FL'), reason: 'finding gone' }] },
    ]);
  });

  it('closes a reminder whose finding fell below SOON, saying to what', () => {
    expect(sut(anInput({ findings: [aCurrent({ risk: 'WATCH' })], active: [aReminder()] }))).toEqual([
      {
        kind: 'close',
        reminder: aReminder(),
        reason: 'risk fell to WATCH',
        changes: [{ kind: 'close', item: anItem('FL'), reason: 'risk fell to WATCH' }],
      },
    ]);
  });

  it('leaves a reminder alone when its component has no prediction at all', () => {
    expect(sut(anInput({ scoredComponents: new Set(['BATTERY']), active: [aReminder()] }))).toEqual([]);
  });

  it('closes a second active reminder for the same need', () => {
    const actions = sut(anInput({ findings: [aCurrent()], active: [aReminder(), aReminder({ id: 'r2' })] }));
    expect(actions).toEqual([
      {
        kind: 'close',
        reminder: aReminder({ id: 'r2' }),
        reason: 'merged into the visit',
        changes: [{ kind: 'close', item: anItem('FL'), reason: 'merged' }],
      },
    ]);
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
