import { COMPONENTS, type Risk } from '#app/maintenance/vocabulary';

import { TEXT, translator } from './i18n.js';
import {
  actionsFor,
  bookingRequest,
  componentText,
  findingText,
  formatDateTime,
  formatDue,
  healthSummary,
  localInputValue,
  pickLanguage,
  preferenceRequest,
  reminderIdFromHash,
  sameKey,
  snoozeUntil,
  sortAppointments,
  sortReminders,
  urlBase64ToUint8Array,
  validateQuietHours,
} from './model.js';

// The browser module itself (apps/api/owner-app/model.js), imported as a plain ES module.
const DAY_MS = 86_400_000;
const now = new Date(2026, 4, 10, 15, 30); // 10 May 2026 15:30, local time

function reminder(overrides: { id: string; status?: string; risk?: Risk; dueAt?: string | null; updatedAt?: string }) {
  return { status: 'OPEN', risk: 'SOON' as Risk, dueAt: null, updatedAt: '2026-05-01T00:00:00.000Z', ...overrides };
}

describe(sortReminders.name, () => {
  it('puts unanswered reminders first, then the higher risk, the earlier due date and the newest change', () => {
    const items = [
      reminder({ id: 'acknowledged-critical', status: 'ACKNOWLEDGED', risk: 'CRITICAL' }),
      reminder({ id: 'done', status: 'DONE', risk: 'CRITICAL' }),
      reminder({ id: 'soon-no-due' }),
      reminder({ id: 'urgent', risk: 'URGENT' }),
      reminder({ id: 'soon-due-later', dueAt: '2026-07-01T00:00:00.000Z' }),
      reminder({ id: 'soon-due-early', dueAt: '2026-06-01T00:00:00.000Z' }),
      reminder({ id: 'soon-no-due-newer', updatedAt: '2026-05-09T00:00:00.000Z' }),
    ];

    expect(sortReminders(items).map((r) => r.id)).toEqual([
      'urgent',
      'soon-due-early',
      'soon-due-later',
      'soon-no-due-newer',
      'soon-no-due',
      'acknowledged-critical',
      'done',
    ]);
    expect(items[0].id).toBe('acknowledged-critical'); // not sorted in place
  });
});

describe(sortAppointments.name, () => {
  it('lists upcoming appointments soonest first, then finished ones newest first', () => {
    const appointment = (id: string, status: string, preferredAt: string, scheduledAt: string | null = null) => ({
      id,
      status,
      preferredAt,
      scheduledAt,
    });
    const sorted = sortAppointments([
      appointment('cancelled-old', 'CANCELLED', '2026-04-01T09:00:00Z'),
      appointment('requested-late', 'REQUESTED', '2026-06-01T09:00:00Z'),
      appointment('confirmed-rescheduled-early', 'CONFIRMED', '2026-07-01T09:00:00Z', '2026-05-20T09:00:00Z'),
      appointment('completed-new', 'COMPLETED', '2026-05-01T09:00:00Z'),
    ]);
    expect(sorted.map((a) => a.id)).toEqual(['confirmed-rescheduled-early', 'requested-late', 'completed-new', 'cancelled-old']);
  });
});

describe(actionsFor.name, () => {
  it.each([
    ['OPEN', ['acknowledge', 'snooze', 'book', 'done']],
    ['ACKNOWLEDGED', ['snooze', 'book', 'done']],
    ['SNOOZED', ['acknowledge', 'snooze', 'book', 'done']],
    ['BOOKED', ['done']],
    ['DONE', []],
    ['RESOLVED', []],
  ])('offers on %s what the API allows', (status, actions) => expect(actionsFor(status)).toEqual(actions));
});

describe(snoozeUntil.name, () => {
  it('counts the presets from now', () => {
    expect(snoozeUntil('1d', now)).toEqual({ ok: true, until: new Date(now.getTime() + DAY_MS).toISOString() });
    expect(snoozeUntil('1w', now)).toEqual({ ok: true, until: new Date(now.getTime() + 7 * DAY_MS).toISOString() });
  });

  it('wakes a custom date at 09:00 local time that day', () => {
    expect(snoozeUntil('custom', now, '2026-05-20')).toEqual({ ok: true, until: new Date(2026, 4, 20, 9, 0).toISOString() });
  });

  it.each([
    ['', 'errDate'],
    ['2026-02-31', 'errDate'],
    ['not a date', 'errDate'],
    ['2026-05-09', 'errFuture'],
    ['2026-09-01', 'errSnoozeTooFar'],
  ])('refuses the custom date %p with %s', (date, error) => expect(snoozeUntil('custom', now, date)).toEqual({ ok: false, error }));
});

describe(bookingRequest.name, () => {
  it('sends the preferred time as an ISO instant and the note when there is one', () => {
    expect(bookingRequest('2026-05-12T10:15', '  morning please ', now)).toEqual({
      ok: true,
      body: { preferredAt: new Date(2026, 4, 12, 10, 15).toISOString(), notes: 'morning please' },
    });
    expect(bookingRequest('2026-05-12T10:15', '   ', now)).toEqual({ ok: true, body: { preferredAt: new Date(2026, 4, 12, 10, 15).toISOString() } });
  });

  it('refuses a past time, a malformed one and an overlong note', () => {
    expect(bookingRequest('2026-05-10T08:00', '', now)).toEqual({ ok: false, error: 'errFuture' });
    expect(bookingRequest('tomorrow', '', now)).toEqual({ ok: false, error: 'errDate' });
    expect(bookingRequest('2026-05-12T10:15', 'x'.repeat(2001), now)).toEqual({ ok: false, error: 'errNoteLong' });
  });

  it('defaults the form to 09:00 the next day, which it accepts', () => {
    expect(localInputValue(now, 1)).toBe('2026-05-11T09:00');
    expect(bookingRequest(localInputValue(now, 1), '', now)).toMatchObject({ ok: true });
  });
});

describe(validateQuietHours.name, () => {
  it('accepts both times or neither, an overnight span included', () => {
    expect(validateQuietHours('22:00', '07:00')).toEqual({ ok: true, start: '22:00', end: '07:00' });
    expect(validateQuietHours('', '')).toEqual({ ok: true, start: null, end: null });
  });

  it.each([
    ['22:00', '', 'errQuietBoth'],
    ['', '07:00', 'errQuietBoth'],
    ['24:00', '07:00', 'errQuietFormat'],
    ['7:00', '08:00', 'errQuietFormat'],
    ['07:00', '07:00', 'errQuietSame'],
  ])('refuses %p to %p (%s)', (start, end, error) => expect(validateQuietHours(start, end)).toEqual({ ok: false, error }));
});

describe(preferenceRequest.name, () => {
  const form = {
    channels: ['WEB_PUSH', 'EMAIL', 'WEB_PUSH'],
    language: 'zh',
    timeZone: 'Asia/Shanghai',
    quietHoursStart: '22:00',
    quietHoursEnd: '07:00',
    digest: true,
    email: ' owner@example.com ',
  };

  it('builds the full PUT body, keeping the webhook URL the form does not show', () => {
    expect(preferenceRequest({ webhookUrl: 'https://hooks.example/x' }, form)).toEqual({
      ok: true,
      body: {
        channels: ['WEB_PUSH', 'EMAIL'],
        language: 'zh',
        timeZone: 'Asia/Shanghai',
        quietHoursStart: '22:00',
        quietHoursEnd: '07:00',
        digest: true,
        email: 'owner@example.com',
        webhookUrl: 'https://hooks.example/x',
      },
    });
  });

  it('sends an empty e-mail as null and refuses a malformed one, half-set quiet hours and a webhook channel without URL', () => {
    expect(preferenceRequest({ webhookUrl: null }, { ...form, email: '' })).toMatchObject({ ok: true, body: { email: null } });
    expect(preferenceRequest({ webhookUrl: null }, { ...form, email: 'nope' })).toEqual({ ok: false, error: 'errEmail' });
    expect(preferenceRequest({ webhookUrl: null }, { ...form, quietHoursEnd: '' })).toEqual({ ok: false, error: 'errQuietBoth' });
    expect(preferenceRequest({ webhookUrl: null }, { ...form, channels: ['WEBHOOK'] })).toEqual({ ok: false, error: 'errWebhook' });
  });
});

describe(pickLanguage.name, () => {
  it('follows the saved preference, else the browser language', () => {
    expect(pickLanguage('en', 'zh-CN')).toBe('en');
    expect(pickLanguage('zh', 'en-US')).toBe('zh');
    expect(pickLanguage(null, 'zh-TW')).toBe('zh');
    expect(pickLanguage(undefined, 'de-DE')).toBe('en');
    expect(pickLanguage('fr', undefined)).toBe('en');
  });
});

describe(urlBase64ToUint8Array.name, () => {
  it('decodes the unpadded base64url VAPID key to the 65-byte P-256 point PushManager.subscribe takes', () => {
    const bytes = Uint8Array.from({ length: 65 }, (_, i) => (i * 37 + 4) % 256);
    const key = Buffer.from(bytes).toString('base64url');

    expect(urlBase64ToUint8Array(key)).toEqual(bytes);
    expect(sameKey(bytes.buffer, key)).toBe(true);
    expect(sameKey(new Uint8Array(65).buffer, key)).toBe(false);
    expect(sameKey(null, key)).toBe(false);
  });
});

describe(reminderIdFromHash.name, () => {
  it('reads the id a notification click links to, and nothing else', () => {
    expect(reminderIdFromHash('#reminder/c1a4e7f0-2b43-4d55-8d11-6f1e2a3b4c5d')).toBe('c1a4e7f0-2b43-4d55-8d11-6f1e2a3b4c5d');
    expect(reminderIdFromHash('#reminder/')).toBeNull();
    expect(reminderIdFromHash('#reminder/"><img')).toBeNull();
    expect(reminderIdFromHash('#settings')).toBeNull();
  });
});

describe(formatDateTime.name, () => {
  it("formats in the owner's zone and language, and survives a bad zone or date", () => {
    expect(formatDateTime('2026-05-10T01:00:00Z', 'en', 'Asia/Shanghai')).toContain('09:00');
    expect(formatDateTime('2026-05-10T01:00:00Z', 'zh', 'Asia/Shanghai')).toContain('2026年5月10日');
    expect(formatDateTime('2026-05-10T01:00:00Z', 'en', 'Not/AZone')).not.toBe('');
    expect(formatDateTime(null, 'en', 'UTC')).toBe('');
    expect(formatDateTime('garbage', 'en', 'UTC')).toBe('');
  });
});

describe(translator.name, () => {
  it('has every English string in Chinese too', () => {
    const keys = (table: Record<string, unknown>, prefix = ''): string[] =>
      Object.entries(table).flatMap(([key, value]) =>
        typeof value === 'object' && value !== null ? keys(value as Record<string, unknown>, `${key}.`) : [`${prefix}${key}`],
      );
    expect(keys(TEXT.zh).sort()).toEqual(keys(TEXT.en).sort());
  });

  it('looks up groups and falls back to the key', () => {
    const t = translator('zh');
    expect(t('pushOn')).toBe('开启通知');
    expect(t.risk('CRITICAL')).toBe('严重');
    expect(t.component('SOMETHING_NEW')).toBe('SOMETHING_NEW');
  });
});

describe(formatDue.name, () => {
  const at = new Date('2026-12-06T09:00:00Z');
  const inDays = (days: number, minutes = 0) => new Date(at.getTime() + days * DAY_MS + minutes * 60_000).toISOString();

  it('says "in about N days" up to two weeks ahead, never a time of day', () => {
    expect(formatDue(inDays(5, 17), at, 'en', 'Asia/Shanghai')).toBe('in about 5 days');
    expect(formatDue(inDays(1), at, 'en', 'Asia/Shanghai')).toBe('in about a day');
    expect(formatDue(inDays(14), at, 'zh', 'Asia/Shanghai')).toBe('约 14 天后');
  });

  it("gives a date without a time further ahead, in the owner's zone", () => {
    const sut = formatDue('2026-12-28T17:49:00Z', at, 'en', 'Asia/Shanghai');
    expect(sut).toBe('29 Dec 2026');
    expect(sut).not.toMatch(/\d{1,2}:\d{2}/);
  });

  it('says now once it is due, and nothing for a missing or bad date', () => {
    expect(formatDue(inDays(-2), at, 'en', 'UTC')).toBe('now (due)');
    expect(formatDue(null, at, 'en', 'UTC')).toBe('');
    expect(formatDue('soon', at, 'en', 'UTC')).toBe('');
  });
});

describe(healthSummary.name, () => {
  it('is "all OK" when every component is OK, whatever their health numbers', () => {
    const components = COMPONENTS.map((component) => ({
      component,
      risk: 'OK' as const,
      health: 60,
    }));
    expect(healthSummary(components)).toEqual({ allOk: true, count: 6, attention: [] });
  });

  it('lists the components needing attention, worst first', () => {
    const sut = healthSummary([
      { component: 'BATTERY', risk: 'WATCH' },
      { component: 'TIRES', risk: 'URGENT' },
      { component: 'FUEL_ECONOMY', risk: 'OK' },
    ]);
    expect(sut).toEqual({
      allOk: false,
      count: 3,
      attention: [
        { component: 'TIRES', risk: 'URGENT' },
        { component: 'BATTERY', risk: 'WATCH' },
      ],
    });
  });

  it('is nothing before the first score', () => {
    expect(healthSummary([])).toBeNull();
    expect(healthSummary(undefined)).toBeNull();
  });
});

describe(findingText.name, () => {
  // The codes of the owner's messages (libs/notifications/src/rendering/chinese.catalog.ts): each has Chinese words here.
  const CODES = [
    'TIRE_TREAD_WEAR',
    'TIRE_SLOW_LEAK',
    'TIRE_PRESSURE_LOSS',
    'TIRE_UNDER_INFLATED',
    'TIRE_UNEVEN_WEAR',
    'COOLANT_DRIFT',
    'COOLANT_OVERHEAT',
    'THERMOSTAT_STUCK_OPEN',
    'COOLANT_DANGER_EPISODES',
    'COOLANT_SENSOR_STUCK',
    'FUEL_ECONOMY_DEGRADED',
    'FUEL_RATE_SENSOR_STUCK',
    'BATTERY_LOW_CHARGE',
    'BATTERY_WEAK_CRANKING',
    'CHARGING_VOLTAGE_LOW',
    'CHARGING_VOLTAGE_HIGH',
    'BATTERY_SENSOR_STUCK',
    'DTC_ACTIVE',
    'DTC_INTERMITTENT',
    'SERVICE_DUE',
  ];

  it.each(CODES)('renders %s in Chinese from code and params, without the English message or a missing value', (code) => {
    const sut = findingText({ code, subject: '', message: 'English message', params: {} }, 'zh');
    expect(sut).not.toBe('English message');
    expect(sut).toMatch(/[\u4e00-\u9fff]/);
    expect(sut).not.toMatch(/undefined|NaN|null/);
  });

  it('puts the params in: the wheel, the figures, the trouble code and the service item', () => {
    expect(findingText({ code: 'TIRE_TREAD_WEAR', subject: 'FL', params: { wheel: 'FL', treadMm: 2.4 } }, 'zh')).toBe(
      '左前轮胎花纹即将磨损到限（2.4 毫米）',
    );
    expect(findingText({ code: 'COOLANT_DRIFT', subject: '', params: { currentC: '99' } }, 'zh')).toBe('发动机温度比平时偏高（热车约 99°C）');
    expect(findingText({ code: 'DTC_ACTIVE', subject: 'P0128', params: { dtc: 'P0128' } }, 'zh')).toBe('故障码 P0128 处于激活状态');
    expect(findingText({ code: 'SERVICE_DUE', subject: 'oil', params: { item: 'oil', remainingKm: -300 } }, 'zh')).toBe('机油保养已逾期');
  });

  it('falls back to the English message for an unknown code or in English, and to nothing for a malformed finding', () => {
    expect(findingText({ code: 'NEW_CODE', message: 'Something new' }, 'zh')).toBe('Something new');
    expect(findingText({ code: 'COOLANT_DRIFT', message: 'Engine runs hotter' }, 'en')).toBe('Engine runs hotter');
    expect(findingText(null, 'zh')).toBe('');
    expect(findingText('text', 'zh')).toBe('');
    expect(findingText({ code: 'NEW_CODE' }, 'zh')).toBe('');
  });
});

describe(componentText.name, () => {
  const tires = {
    risk: 'SOON',
    explanation: 'Two tyres are wearing out.',
    findings: [
      { code: 'TIRE_TREAD_WEAR', subject: 'FL', message: 'Front-left tyre tread is wearing out', params: { wheel: 'FL' } },
      { code: 'TIRE_TREAD_WEAR', subject: 'RR', message: 'Rear-right tyre tread is wearing out', params: { wheel: 'RR' } },
    ],
  };

  it("is the model's explanation in English", () => {
    expect(componentText(tires, 'en')).toBe('Two tyres are wearing out.');
  });

  it("is the findings' Chinese headlines in Chinese", () => {
    expect(componentText(tires, 'zh')).toBe('左前轮胎花纹即将磨损到限；右后轮胎花纹即将磨损到限');
  });

  it('says nothing was found for an OK component without findings, and falls back to English when no finding has Chinese words', () => {
    expect(componentText({ risk: 'OK', explanation: 'Battery looks healthy.', findings: [] }, 'zh')).toBe('未发现异常');
    expect(componentText({ risk: 'WATCH', explanation: 'Something new.', findings: [{ code: 'NEW_CODE' }] }, 'zh')).toBe('Something new.');
    expect(componentText({ risk: 'WATCH', explanation: 'Odd findings.', findings: { not: 'a list' } }, 'zh')).toBe('Odd findings.');
  });
});
