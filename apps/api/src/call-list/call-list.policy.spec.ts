import { type CallState, callListVisibility, callStateOf, findingKeys, HOLD_DAYS, holdUntil, type LastOutcome } from './call-list.policy.js';

const DAY = 24 * 3_600_000;
const calledAt = new Date('2026-12-01T09:00:00.000Z');
const after = (days: number) => new Date(calledAt.getTime() + days * DAY);

function state(overrides: Partial<CallState> = {}): CallState {
  return { risk: 'SOON', dueAt: after(90), findingKeys: ['TIRES:TIRE_TREAD_WEAR:FL'], ...overrides };
}

function outcome(overrides: Partial<LastOutcome> = {}): LastOutcome {
  return { outcome: 'CALLED', at: calledAt, callAgainAt: null, stateAtCall: state(), ...overrides };
}

describe(callListVisibility.name, () => {
  it('shows a car nobody called', () => {
    expect(callListVisibility(state(), null, calledAt)).toEqual({ visible: true, reason: 'never-called' });
  });

  it.each([
    ['NO_ANSWER', 1],
    ['CALLED', 7],
    ['BOOKED', 30],
    ['DECLINED', 30],
  ] as const)('holds a car after %s for %i day(s), then shows it again', (kind, days) => {
    const last = outcome({ outcome: kind });
    expect(HOLD_DAYS[kind]).toBe(days);
    expect(callListVisibility(state(), last, after(days - 0.01))).toEqual({ visible: false, reason: 'handled', until: after(days) });
    expect(callListVisibility(state(), last, after(days))).toEqual({ visible: true, reason: 'hold-ended' });
  });

  it('holds a CALL_AGAIN car until its date, however far', () => {
    const last = outcome({ outcome: 'CALL_AGAIN', callAgainAt: after(45) });
    expect(callListVisibility(state(), last, after(44))).toEqual({ visible: false, reason: 'handled', until: after(45) });
    expect(callListVisibility(state(), last, after(45)).visible).toBe(true);
  });

  it('brings a held car back when its risk rose since the call', () => {
    const last = outcome({ outcome: 'DECLINED' });
    expect(callListVisibility(state({ risk: 'URGENT' }), last, after(2))).toEqual({ visible: true, reason: 'risk-rose' });
  });

  it('keeps a car held when its risk fell or stayed', () => {
    const last = outcome({ outcome: 'BOOKED', stateAtCall: state({ risk: 'URGENT' }) });
    expect(callListVisibility(state({ risk: 'SOON' }), last, after(2)).visible).toBe(false);
  });

  it('brings a held car back when a finding appeared since the call, at the same risk', () => {
    const last = outcome({ outcome: 'CALL_AGAIN', callAgainAt: after(60) });
    const current = state({ findingKeys: ['TIRES:TIRE_TREAD_WEAR:FL', 'BATTERY:BATTERY_WEAK:'] });
    expect(callListVisibility(current, last, after(3))).toEqual({ visible: true, reason: 'new-finding' });
  });

  it('does not count a finding that went away as a new one', () => {
    expect(callListVisibility(state({ findingKeys: [] }), outcome(), after(1)).visible).toBe(false);
  });

  it('brings a held car back when its due date, ahead at the call, has now passed', () => {
    const last = outcome({ outcome: 'DECLINED', stateAtCall: state({ dueAt: after(5) }) });
    expect(callListVisibility(state({ dueAt: after(5) }), last, after(4)).visible).toBe(false);
    expect(callListVisibility(state({ dueAt: after(5) }), last, after(6))).toEqual({ visible: true, reason: 'became-overdue' });
  });

  it("keeps a CALL_AGAIN car held past its due date: the owner's date stands unless the prediction got worse", () => {
    const last = outcome({ outcome: 'CALL_AGAIN', callAgainAt: after(20), stateAtCall: state({ dueAt: after(5) }) });
    expect(callListVisibility(state({ dueAt: after(5) }), last, after(6)).visible).toBe(false);
  });

  it('keeps holding a car that was already overdue when it was called', () => {
    const overdue = state({ dueAt: after(-3) });
    expect(callListVisibility(overdue, outcome({ outcome: 'BOOKED', stateAtCall: overdue }), after(10)).visible).toBe(false);
  });
});

describe(holdUntil.name, () => {
  it('ends a CALL_AGAIN without a date at once (a hand-written row holds nothing)', () => {
    expect(holdUntil({ outcome: 'CALL_AGAIN', at: calledAt, callAgainAt: null })).toEqual(calledAt);
  });
});

describe(findingKeys.name, () => {
  it('keys each finding by component, code and subject, once, sorted', () => {
    const predictions = [
      {
        component: 'TIRES',
        findings: [
          { code: 'TIRE_TREAD_WEAR', subject: 'RR' },
          { code: 'TIRE_TREAD_WEAR', subject: 'FL' },
        ],
      },
      { component: 'BATTERY', findings: [{ code: 'BATTERY_WEAK', subject: '' }, { code: 'BATTERY_WEAK' }] },
      { component: 'FUEL_ECONOMY', findings: null },
      { component: 'DIAGNOSTICS', findings: ['not an object', { subject: 'no code' }] },
    ];
    expect(findingKeys(predictions)).toEqual(['BATTERY:BATTERY_WEAK:', 'TIRES:TIRE_TREAD_WEAR:FL', 'TIRES:TIRE_TREAD_WEAR:RR']);
  });
});

describe(callStateOf.name, () => {
  it('takes the worst risk and the earliest due date among the components at that risk', () => {
    const predictions = [
      { component: 'TIRES', risk: 'URGENT' as const, dueAt: after(9), findings: [{ code: 'TIRE_TREAD_WEAR', subject: 'FL' }] },
      { component: 'BATTERY', risk: 'URGENT' as const, dueAt: after(4), findings: [] },
      { component: 'ENGINE_COOLING', risk: 'SOON' as const, dueAt: after(1), findings: [{ code: 'COOLANT_DRIFT', subject: '' }] },
    ];
    expect(callStateOf(predictions)).toEqual({
      risk: 'URGENT',
      dueAt: after(4),
      findingKeys: ['ENGINE_COOLING:COOLANT_DRIFT:', 'TIRES:TIRE_TREAD_WEAR:FL'],
    });
  });

  it('has no due date when no component at the worst risk has one, and no state without predictions', () => {
    expect(callStateOf([{ component: 'TIRES', risk: 'WATCH', dueAt: null, findings: [] }])?.dueAt).toBeNull();
    expect(callStateOf([])).toBeNull();
  });
});
