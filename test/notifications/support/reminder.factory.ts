import { type ReminderContent } from '#app/notifications';

/** A reminder as the lifecycle would store it: an urgent slow puncture on a Shanghai owner's car. */
export function reminderContent(overrides: Partial<ReminderContent> = {}): ReminderContent {
  return {
    reminderId: 'c1a4e7f0-2b43-4d55-8d11-6f1e2a3b4c5d',
    component: 'TIRES',
    risk: 'URGENT',
    finding: {
      code: 'TIRE_SLOW_LEAK',
      subject: 'FL',
      message: 'Front left tyre is slowly losing air.',
      params: { wheel: 'FL', lossKpaPerDay: 12.5, recentDropKpa: 30, daysToUnsafe: 2.4 },
    },
    dueAt: '2026-12-03T10:00:00.000Z',
    dueOdometerKm: 52011,
    vehicle: { make: 'BYD', model: 'Qin PLUS', plate: '沪A·D12345' },
    link: 'https://app.carhealth.example/reminders/c1a4e7f0',
    timeZone: 'Asia/Shanghai',
    ...overrides,
  };
}
