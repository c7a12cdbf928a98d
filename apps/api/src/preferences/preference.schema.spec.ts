import { updatePreferenceSchema } from './preference.schema.js';

function preferenceRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { channels: ['WEB_PUSH', 'EMAIL', 'IN_APP'], language: 'zh', timeZone: 'Asia/Shanghai', ...overrides };
}

const issuesOf = (input: Record<string, unknown>) => {
  const result = updatePreferenceSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
};

describe('updatePreferenceSchema', () => {
  it('fills the optional fields with their defaults', () => {
    expect(updatePreferenceSchema.parse(preferenceRequest())).toEqual({
      ...preferenceRequest(),
      quietHoursStart: null,
      quietHoursEnd: null,
      digest: false,
      email: null,
      webhookUrl: null,
    });
  });

  it('accepts IANA zones and refuses made-up ones', () => {
    expect(issuesOf(preferenceRequest({ timeZone: 'Europe/Berlin' }))).toEqual([]);
    expect(issuesOf(preferenceRequest({ timeZone: 'Mars/Olympus' }))).toEqual(['timeZone']);
  });

  it('takes quiet hours as HH:MM pairs only', () => {
    expect(issuesOf(preferenceRequest({ quietHoursStart: '22:00', quietHoursEnd: '07:00' }))).toEqual([]);
    expect(issuesOf(preferenceRequest({ quietHoursStart: '24:00', quietHoursEnd: '07:00' }))).toEqual(['quietHoursStart']);
    expect(issuesOf(preferenceRequest({ quietHoursStart: '7:00', quietHoursEnd: '07:00' }))).toEqual(['quietHoursStart']);
    expect(issuesOf(preferenceRequest({ quietHoursStart: '22:00' }))).toEqual(['quietHoursEnd']);
  });

  it('allows https webhooks anywhere and plain http only to 127.0.0.1', () => {
    expect(issuesOf(preferenceRequest({ webhookUrl: 'https://hooks.example.com/carhealth' }))).toEqual([]);
    expect(issuesOf(preferenceRequest({ webhookUrl: 'http://127.0.0.1:8080/hook' }))).toEqual([]);
    expect(issuesOf(preferenceRequest({ webhookUrl: 'http://hooks.example.com/carhealth' }))).toEqual(['webhookUrl']);
    expect(issuesOf(preferenceRequest({ webhookUrl: 'https://user:pw@hooks.example.com/' }))).toEqual(['webhookUrl']);
  });

  it('needs a webhook URL for the WEBHOOK channel and refuses repeated or unknown channels', () => {
    expect(issuesOf(preferenceRequest({ channels: ['WEBHOOK'] }))).toEqual(['webhookUrl']);
    expect(issuesOf(preferenceRequest({ channels: ['EMAIL', 'EMAIL'] }))).toEqual(['channels']);
    expect(issuesOf(preferenceRequest({ channels: ['SMS'] }))).toEqual(['channels.0']);
  });
});
