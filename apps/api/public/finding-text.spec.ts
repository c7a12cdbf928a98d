import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { STAFF_FINDING_CODES, staffFindingText } from './finding-text.js';

const MODELS_DIR = fileURLToPath(new URL('../../../libs/maintenance/src', import.meta.url));

/** Every finding code the models' sources emit (`code: 'X'`, or `code: cond ? 'X' : 'Y'`). */
function emittedCodes(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return emittedCodes(path);
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.spec.ts')) return [];
    return [...readFileSync(path, 'utf8').matchAll(/\bcode: (?:[^,\n]*\? )?'([A-Z][A-Z0-9_]+)'(?: : '([A-Z][A-Z0-9_]+)')?/g)].flatMap((m) =>
      [m[1], m[2]].filter((code): code is string => code !== undefined),
    );
  });
}

/** Findings as the models write them (codes, subjects and params of libs/maintenance). */
const FINDINGS = {
  drift: {
    code: 'COOLANT_DRIFT',
    subject: '',
    risk: 'SOON',
    message: 'Your engine now runs at about 99 C when warm, up from its usual 91 C.',
    params: { baselineC: 91, currentC: 99.2, slopeCPerDay: 0.3, daysToDanger: 19 },
  },
  tread: {
    code: 'TIRE_TREAD_WEAR',
    subject: 'FL',
    risk: 'SOON',
    message: 'Front-left tyre: 3.4 mm of tread ...',
    params: { wheel: 'FL', treadMm: 3.4, wearMmPer1000Km: 0.11, kmTo3mm: 3600, kmTo1_6mm: 16_300, dueDate: '2027-01-20' },
  },
  thermostat: {
    code: 'THERMOSTAT_STUCK_OPEN',
    subject: 'thermostat',
    risk: 'SOON',
    message: 'The engine stayed at 72-74 C ...',
    params: { coldDrives: 2, judgedDrives: 2, maxC: 74, minC: 72, coldBelowC: 79, beforeMinC: 90, beforeMaxC: 92 },
  },
  overdue: {
    code: 'SERVICE_DUE',
    subject: 'oil',
    risk: 'URGENT',
    message: 'Oil change is overdue by 1,200 km. Book it now.',
    params: { item: 'oil', baselineAssumed: 'no', lastDoneAt: '2026-01-02', dueOdometerKm: 50_000, remainingKm: -1200, daysLeft: 40 },
  },
  dtc: {
    code: 'DTC_ACTIVE',
    subject: 'P0128',
    risk: 'WATCH',
    message: 'P0128 ...',
    params: { dtc: 'P0128', title: 'Coolant thermostat below regulating temperature', since: '2026-11-30T08:00:00.000Z', daysSeen: 3, known: 1 },
  },
};

describe(staffFindingText.name, () => {
  it('knows every finding code the models emit', () => {
    const emitted = [...new Set(emittedCodes(MODELS_DIR))].sort();
    expect(emitted.length).toBeGreaterThanOrEqual(20);
    expect(emitted.filter((code) => !STAFF_FINDING_CODES.includes(code))).toEqual([]);
  });

  it('states the facts for staff, not the sentence written for the owner', () => {
    expect(staffFindingText(FINDINGS.drift, 'en')).toBe('Engine runs at 99.2 C when warm, usually 91 C; 105 C in about 19 days');
    expect(staffFindingText(FINDINGS.tread, 'en')).toBe(
      'Front-left tyre: 3.4 mm tread, wearing 0.11 mm per 1,000 km; 3.0 mm in about 3,600 km (around 2027-01-20)',
    );
    expect(staffFindingText(FINDINGS.thermostat, 'en')).toBe(
      'Engine stayed at 72-74 C on 2 of 2 long drives (90-92 C before): thermostat probably stuck open',
    );
    expect(staffFindingText(FINDINGS.overdue, 'en')).toBe('Oil service overdue by 1,200 km');
    expect(staffFindingText(FINDINGS.dtc, 'en')).toBe(
      'P0128 Coolant thermostat below regulating temperature active since 2026-11-30, seen on 3 days',
    );
  });

  it('says the same in Chinese', () => {
    expect(staffFindingText(FINDINGS.drift, 'zh')).toBe('热车水温 99.2°C，平时 91°C；约 19 天后达到 105°C');
    expect(staffFindingText(FINDINGS.tread, 'zh')).toBe('左前轮胎花纹 3.4 毫米，每千公里磨损 0.11 毫米；约 3,600 公里后到 3.0 毫米（约 2027-01-20）');
    expect(staffFindingText(FINDINGS.overdue, 'zh')).toBe('机油保养已逾期 1,200 公里');
  });

  it.each(STAFF_FINDING_CODES)('renders %s in both languages from full params without a gap or an owner address', (code) => {
    const params = {
      wheel: 'RR',
      partner: 'RL',
      treadMm: 3,
      pressureKpa: 190,
      lossKpaPerDay: 3,
      confidence: 0.93,
      currentC: 99,
      baselineC: 91,
      beforeC: 91,
      drives: 3,
      spreadC: 0.5,
      episodes: 4,
      days: 3,
      peakC: 108,
      minC: 72,
      maxC: 74,
      coldDrives: 2,
      judgedDrives: 3,
      valueC: 88,
      hours: 6,
      degradationPct: 12,
      idleShare: 0.2,
      baselineIdleShare: 0.1,
      cityShare: 0.5,
      baselineCityShare: 0.4,
      restingV: 12.1,
      crankV: 9.1,
      chargingV: 12.9,
      valueV: 12.6,
      dtc: 'P0300',
      item: 'oil',
      dueOdometerKm: 50_000,
      dueDate: '2027-01-01',
    };
    for (const lang of ['en', 'zh']) {
      const text = staffFindingText({ code, message: 'Your car needs attention', params }, lang);
      expect(text).not.toBe('Your car needs attention');
      expect(text).not.toMatch(/undefined|NaN|null|\bYour\b/);
      if (lang === 'zh') expect(text).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it("falls back to the model's message when a code is new or a figure it needs is missing, and to nothing for a non-finding", () => {
    expect(staffFindingText({ code: 'NEW_CODE', message: 'Something new' }, 'en')).toBe('Something new');
    expect(staffFindingText({ code: 'TIRE_SLOW_LEAK', subject: 'FR', message: 'FR is losing air.', params: {} }, 'zh')).toBe('FR is losing air.');
    expect(staffFindingText({ code: 'NEW_CODE' }, 'en')).toBe('NEW_CODE');
    expect(staffFindingText(null, 'en')).toBe('');
    expect(staffFindingText('text', 'en')).toBe('');
  });
});
