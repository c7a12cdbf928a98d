import { completionRecord, type GivenService, type ReminderForCompletion, ServiceKindRequiredError } from './appointment-completion.policy.js';

describe(completionRecord.name, () => {
  const id = '7b0c1c52-8d0e-4a57-9d0f-3f1c2b6a9e10';
  const tires: GivenService = { kind: 'TIRE_REPLACEMENT', positions: ['FL', 'FR'] };

  it("records the active reminder's own service when staff name none", () => {
    expect(completionRecord(id, 'active', null)).toEqual({ record: 'for-reminder', service: null });
  });

  it('records the service staff name against the active reminder, closing it', () => {
    expect(completionRecord(id, 'active', tires)).toEqual({ record: 'for-reminder', service: tires });
  });

  it.each<ReminderForCompletion>(['none', 'done', 'resolved'])('records the named service on its own when the reminder is %s', (reminder) => {
    expect(completionRecord(id, reminder, tires)).toEqual({ record: 'given', service: tires });
  });

  it('writes nothing more when the owner already marked the reminder done (its record exists)', () => {
    expect(completionRecord(id, 'done', null)).toEqual({ record: 'already-recorded' });
  });

  it.each<ReminderForCompletion>(['none', 'resolved'])('refuses to complete with no kind and a reminder that is %s', (reminder) => {
    expect(() => completionRecord(id, reminder, null)).toThrow(ServiceKindRequiredError);
    expect(() => completionRecord(id, reminder, null)).toThrow(`Appointment ${id} has no open reminder`);
  });
});
