import { renderReminderMessage } from './reminder-message.renderer.js';
import { type Language, languageOf, type ReminderContent, reminderContentSchema } from './reminder-content.model.js';

const reminder = (overrides: Partial<ReminderContent> = {}): ReminderContent => ({
  reminderId: '0b7e3a52-5f0e-4b8e-9a59-3f0c2b1d9e11',
  component: 'TIRES',
  risk: 'URGENT',
  finding: {
    code: 'TIRE_SLOW_LEAK',
    subject: 'FL',
    message: 'Front left tyre is slowly losing air.',
    params: { wheel: 'FL', lossKpaPerDay: 12.5, recentDropKpa: 30, daysToUnsafe: 2.4 },
  },
  dueAt: '2026-12-03T10:00:00.000Z',
  dueOdometerKm: 52011.4,
  vehicle: { make: 'Toyota', model: 'Corolla', plate: '沪A12345' },
  timeZone: 'Asia/Shanghai',
  ...overrides,
});

const finding = (code: string, params: Record<string, string | number>, subject = ''): ReminderContent['finding'] => ({
  code,
  subject,
  message: `English message of ${code}`,
  params,
});

describe(renderReminderMessage.name, () => {
  it('says what, why, how soon and what to do in English', () => {
    const sut = renderReminderMessage(reminder(), 'en');
    expect(sut.title).toBe('Urgent: Front left tyre is losing air');
    expect(sut.text.split('\n')).toEqual([
      'Your Toyota Corolla (沪A12345): Front left tyre is losing air.',
      'Why: It loses about 12.5 kPa a day more than the other tyre on its axle, and dropped 30 kPa recently.',
      'How soon: Within the next few days. Due by 3 Dec 2026 or at 52,011 km on the odometer, whichever comes first.',
      'What to do: Have it checked for a slow puncture or a leaking valve within 2 days.',
    ]);
  });

  it('says the same in Chinese', () => {
    const sut = renderReminderMessage(reminder(), 'zh');
    expect(sut.title).toBe('紧急：左前轮胎正在漏气');
    expect(sut.text.split('\n')).toEqual([
      '您的车辆 Toyota Corolla (沪A12345)：左前轮胎正在漏气。',
      '原因：该轮胎每天比同轴另一侧轮胎多损失约 12.5 千帕气压，近期已下降 30 千帕。',
      '时间：请在几天内处理。预计到期日：2026年12月3日，或里程表达到 52,011 公里时（以先到者为准）。',
      '建议：请在 2 天内检查是否有慢撒气或气门嘴漏气。',
    ]);
  });

  it('tells a puncture plainly: which wheel, how low, what to do, and that one reading may be a sensor error', () => {
    const puncture = reminder({
      risk: 'CRITICAL',
      dueAt: null,
      dueOdometerKm: null,
      finding: finding('TIRE_PRESSURE_LOSS', { wheel: 'FL', pressureKpa: 140, referenceKpa: 249, deficitPct: 44, lowReadings: 1 }, 'FL'),
    });
    const en = renderReminderMessage(puncture, 'en');
    expect(en.title).toBe('Critical: Front left tyre is losing air fast');
    expect(en.text).toContain(
      'Why: Its pressure is 140 kPa, 44 % below the other tyres (249 kPa): most likely a puncture. One reading so far: if it was a sensor error, the next reading clears this.',
    );
    expect(en.text).toContain('What to do: Stop as soon as it is safe and check the tyre');
    expect(renderReminderMessage(puncture, 'zh').title).toBe('严重：左前轮胎正在快速失压');
  });

  it("dates the due day in the owner's time zone", () => {
    // 20:00Z on the 2nd is already the 3rd in Shanghai.
    const sut = renderReminderMessage(reminder({ dueAt: '2026-12-02T20:00:00Z', dueOdometerKm: null }), 'en');
    expect(sut.text).toContain('Due by 3 Dec 2026.');
  });

  it('carries machine-readable data for apps and service workers', () => {
    expect(renderReminderMessage(reminder({ link: 'https://app.example/reminders/1' }), 'zh').data).toEqual({
      reminderId: '0b7e3a52-5f0e-4b8e-9a59-3f0c2b1d9e11',
      component: 'TIRES',
      code: 'TIRE_SLOW_LEAK',
      subject: 'FL',
      risk: 'URGENT',
      dueAt: '2026-12-03T10:00:00.000Z',
      dueOdometerKm: 52011,
      link: 'https://app.example/reminders/1',
      language: 'zh',
    });
  });

  it('escapes owner-supplied text in the HTML part', () => {
    const sut = renderReminderMessage(reminder({ vehicle: { make: '<script>', model: 'A&B', plate: null } }), 'en');
    expect(sut.html).toContain('Your &lt;script&gt; A&amp;B: Front left tyre is losing air.');
    expect(sut.html).not.toContain('<script>');
  });

  it.each<[string, ReminderContent['component'], ReminderContent['finding'], string, string]>([
    [
      'tread',
      'TIRES',
      finding('TIRE_TREAD_WEAR', { wheel: 'RR', treadMm: 1.4 }),
      'below the 1.6 mm legal minimum: replace the tyre before driving further',
      '请在继续行驶前更换轮胎',
    ],
    [
      'inflation',
      'TIRES',
      finding('TIRE_UNDER_INFLATED', { wheel: 'RL', pressureKpa: 170, referenceKpa: 235, deficitPct: 28 }),
      '170 kPa, 28 % below the other tyres (235 kPa)',
      '比其他轮胎（235 千帕）低 28%',
    ],
    [
      'alignment',
      'TIRES',
      finding('TIRE_UNEVEN_WEAR', { wheel: 'FL', partner: 'FR', depthDiffMm: 2.6 }),
      'faster than the front right tyre',
      '比同轴的右前轮胎磨损更快',
    ],
    [
      'coolant drift',
      'ENGINE_COOLING',
      finding('COOLANT_DRIFT', { baselineC: 90.1, currentC: 101.4, daysToDanger: 12 }),
      'about 101.4 °C, up from its usual 90.1 °C',
      '约为 101.4°C，平时约为 90.1°C',
    ],
    [
      'overheat',
      'ENGINE_COOLING',
      finding('COOLANT_OVERHEAT', { episodes: 2, peakC: 121 }),
      'overheated 2 time(s) recently, up to 121 °C',
      '近期过热 2 次，最高达到 121°C',
    ],
    [
      'thermostat',
      'ENGINE_COOLING',
      finding('THERMOSTAT_STUCK_OPEN', { coldDrives: 4, judgedDrives: 9, minC: 71, maxC: 74, beforeMinC: 89, beforeMaxC: 92 }),
      'On the last 4 drive(s) long enough to warm up, the engine stayed at 71-74 °C, against 89-92 °C before',
      '最近 4 次足以暖机的行程中，发动机温度一直停留在 71-74°C',
    ],
    [
      'danger-line episodes',
      'ENGINE_COOLING',
      finding('COOLANT_DANGER_EPISODES', { episodes: 4, days: 3, peakC: 108.5, ratePerDrivingHour: 0.6 }),
      'above 105 °C 4 times on 3 day(s) in the last two weeks, up to 108.5 °C (0.6 per driving hour lately)',
      '共 4 次水温超过 105°C',
    ],
    ['fuel', 'FUEL_ECONOMY', finding('FUEL_ECONOMY_DEGRADED', { degradationPct: 14.6 }), 'about 15 % more fuel', '高出约 15%'],
    [
      'battery',
      'BATTERY',
      finding('BATTERY_WEAK_CRANKING', { crankV: 9.4, baselineCrankV: 10.3 }),
      'falls to 9.4 V (it used to fall to 10.3 V)',
      '降至 9.4 伏（以前为 10.3 伏）',
    ],
    ['charging', 'BATTERY', finding('CHARGING_VOLTAGE_LOW', { chargingV: 12.6 }), 'only 12.6 V', '只有 12.6 伏'],
    [
      'dtc',
      'DIAGNOSTICS',
      finding('DTC_ACTIVE', { dtc: 'P0128', title: 'Coolant thermostat below regulating temperature', daysSeen: 3 }, 'P0128'),
      'The car reports P0128: Coolant thermostat',
      '车辆报告故障码 P0128',
    ],
    [
      'oil service',
      'SERVICE_SCHEDULE',
      finding('SERVICE_DUE', { item: 'oil', remainingKm: -420, daysLeft: 5, lastDoneAt: '2025-12-01', baselineAssumed: 'no' }, 'oil'),
      'Oil service is overdue',
      '机油保养已逾期',
    ],
  ])('renders %s findings from code and params in both languages', (_name, component, f, english, chinese) => {
    const content = reminder({ component, finding: f, risk: 'SOON' });
    const en = renderReminderMessage(content, 'en');
    const zh = renderReminderMessage(content, 'zh');
    expect(en.text).toContain(english);
    expect(zh.text).toContain(chinese);
    expect(en.text).not.toContain(f.message);
    expect(zh.text).not.toMatch(/undefined|NaN/);
  });

  it('falls back to the English finding message for a code it has no words for', () => {
    const content = reminder({
      component: 'BATTERY',
      finding: finding('BATTERY_NEW_THING', { x: 1 }),
      risk: 'WATCH',
      dueAt: null,
      dueOdometerKm: null,
    });
    const zh = renderReminderMessage(content, 'zh');
    expect(zh.title).toBe('提醒：蓄电池需要注意');
    expect(zh.text).toContain('原因：English message of BATTERY_NEW_THING');
    expect(renderReminderMessage(content, 'en').text).toContain('Why: English message of BATTERY_NEW_THING');
  });

  it('renders content read back from the database as JSON', () => {
    const stored: unknown = JSON.parse(JSON.stringify(reminder()));
    const sut = (language: Language) => renderReminderMessage(reminderContentSchema.parse(stored), language);
    expect(sut('en')).toEqual(renderReminderMessage(reminder(), 'en'));
  });
});

describe(languageOf.name, () => {
  it('maps stored language tags to a supported language', () => {
    expect(['zh-CN', 'zh', 'ZH_tw', 'en-US', 'de', null].map(languageOf)).toEqual(['zh', 'zh', 'zh', 'en', 'en', 'en']);
  });
});
