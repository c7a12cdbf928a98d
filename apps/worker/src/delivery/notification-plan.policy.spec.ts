import { notificationKeyOf, type PlanInput, type PlanPreference, planDeliveries } from './notification-plan.policy.js';

// 23:30 in Shanghai (UTC+8).
const LATE_EVENING = new Date('2026-11-10T15:30:00Z');
const NEXT_MORNING_7 = new Date('2026-11-10T23:00:00Z');

const aPreference = (overrides: Partial<PlanPreference> = {}): PlanPreference => ({
  channels: ['WEB_PUSH', 'EMAIL', 'IN_APP'],
  webhookUrl: null,
  timeZone: 'Asia/Shanghai',
  quietHoursStart: null,
  quietHoursEnd: null,
  digest: false,
  ...overrides,
});

const anInput = (overrides: Partial<PlanInput> = {}): PlanInput => ({
  preference: aPreference(),
  risk: 'SOON',
  hasPushSubscription: true,
  now: LATE_EVENING,
  ...overrides,
});

describe(planDeliveries.name, () => {
  const sut = planDeliveries;

  it('sends on every preferred channel at once without quiet hours', () => {
    expect(sut(anInput())).toEqual([
      { channel: 'EMAIL', status: 'PENDING', holdUntil: LATE_EVENING },
      { channel: 'IN_APP', status: 'PENDING', holdUntil: LATE_EVENING },
      { channel: 'WEB_PUSH', status: 'PENDING', holdUntil: LATE_EVENING },
    ]);
  });

  it('adds the webhook when a URL is set, and drops it when none is', () => {
    expect(sut(anInput({ preference: aPreference({ webhookUrl: 'https://example.com/h' }) })).map((d) => d.channel)).toContain('WEBHOOK');
    expect(sut(anInput({ preference: aPreference({ channels: ['WEBHOOK', 'EMAIL'] }) })).map((d) => d.channel)).toEqual(['EMAIL']);
  });

  it('skips web push when the owner has no subscription', () => {
    expect(sut(anInput({ hasPushSubscription: false })).map((d) => d.channel)).toEqual(['EMAIL', 'IN_APP']);
  });

  it('holds a SOON notification until quiet hours end in the owner zone, except in-app', () => {
    const plan = sut(anInput({ preference: aPreference({ quietHoursStart: '22:00', quietHoursEnd: '07:00' }) }));
    expect(plan).toEqual([
      { channel: 'EMAIL', status: 'HELD', holdUntil: NEXT_MORNING_7 },
      { channel: 'IN_APP', status: 'PENDING', holdUntil: LATE_EVENING },
      { channel: 'WEB_PUSH', status: 'HELD', holdUntil: NEXT_MORNING_7 },
    ]);
  });

  it('lets a CRITICAL notification through quiet hours', () => {
    const plan = sut(anInput({ risk: 'CRITICAL', preference: aPreference({ quietHoursStart: '22:00', quietHoursEnd: '07:00' }) }));
    expect(plan.every((d) => d.status === 'PENDING' && d.holdUntil === LATE_EVENING)).toBe(true);
  });
});

describe(notificationKeyOf.name, () => {
  it('names the version and the repeat', () => {
    expect(notificationKeyOf(2, 3)).toBe('v2n3');
  });
});
