// @ts-check
// A model's finding as a service advisor reads it, in the dashboard's language: the facts and figures from the
// finding's code and params ("Engine runs at 99 C when warm, usually 91 C"), not the owner-facing sentence the
// model writes in `message` ("Your engine now runs ..."), which the owner app and the reminders show. The owner
// app keeps its own Chinese headlines (apps/api/owner-app/model.js): the same words as the owner's messages.
// A code this table does not know falls back to the model's message: better than nothing, and a spec lists
// every code the models emit so a new one is noticed.

/** @typedef {{ code?: unknown; subject?: unknown; message?: unknown; params?: Record<string, unknown> | null }} FindingLike */
/**
 * A finding's params as text. Reading a param that is not there marks the finding as one this table cannot
 * render (the clause-optional ones are read only after `has`), so it falls back to the model's message rather
 * than show "undefined".
 * @typedef {{ text: (key: string) => string; str: (key: string) => string; has: (key: string) => boolean; missing: () => boolean }} Params
 */
/** @typedef {(p: Params) => string} Render */

const WHEELS = {
  en: /** @type {Record<string, string>} */ ({ FL: 'Front-left', FR: 'Front-right', RL: 'Rear-left', RR: 'Rear-right' }),
  zh: /** @type {Record<string, string>} */ ({ FL: '左前', FR: '右前', RL: '左后', RR: '右后' }),
};

const SERVICE_ITEMS = {
  en: /** @type {Record<string, string>} */ ({
    oil: 'Oil service',
    'air-filter': 'Air filter',
    'brake-fluid': 'Brake fluid',
    coolant: 'Coolant change',
    'tire-rotation': 'Tyre rotation',
    inspection: 'Inspection',
  }),
  zh: /** @type {Record<string, string>} */ ({
    oil: '机油保养',
    'air-filter': '空气滤清器',
    'brake-fluid': '制动液',
    coolant: '冷却液更换',
    'tire-rotation': '轮胎换位',
    inspection: '常规检查',
  }),
};

/**
 * A param as text: numbers with the locale's grouping, '' when missing (the renderers leave out the clause).
 * @param {Record<string, unknown>} raw
 * @param {'en' | 'zh'} lang
 * @returns {Params}
 */
function paramsOf(raw, lang) {
  let missing = false;
  const numberOf = (/** @type {string} */ key) => {
    const value = raw[key];
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    return Number.isFinite(n) ? n : undefined;
  };
  const stringOf = (/** @type {string} */ key) => {
    const value = raw[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const has = (/** @type {string} */ key) => numberOf(key) !== undefined || stringOf(key) !== undefined;
  return {
    has,
    missing: () => missing,
    text: (key) => {
      const n = numberOf(key);
      if (n !== undefined) return n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: 3 });
      const s = stringOf(key);
      if (s === undefined) missing = true;
      return s ?? '';
    },
    str: (key) => {
      const n = numberOf(key);
      if (typeof raw[key] === 'number' && n !== undefined) return String(n);
      const s = stringOf(key);
      if (s === undefined) missing = true;
      return s ?? '';
    },
  };
}

/** `text` when every key is present, else ''. */
const when = (/** @type {Params} */ p, /** @type {string[]} */ keys, /** @type {() => string} */ text) => (keys.every((k) => p.has(k)) ? text() : '');
const pct = (/** @type {Params} */ p, /** @type {string} */ key) => String(Math.round(Number(p.str(key)) * 100));

/** @type {Record<'en' | 'zh', Record<string, Render>>} */
const RENDER = {
  en: {
    TIRE_TREAD_WEAR: (p) =>
      `${wheel(p, 'en')} tyre: ${p.text('treadMm')} mm tread` +
      when(p, ['wearMmPer1000Km'], () => `, wearing ${p.text('wearMmPer1000Km')} mm per 1,000 km`) +
      when(p, ['kmTo3mm'], () => `; 3.0 mm in about ${p.text('kmTo3mm')} km`) +
      when(p, ['dueDate'], () => ` (around ${p.str('dueDate')})`),
    TIRE_SLOW_LEAK: (p) =>
      `${wheel(p, 'en')} tyre losing ${p.text('lossKpaPerDay')} kPa a day` +
      when(
        p,
        ['lostAgainstPartnerKpa', 'changeDays'],
        () => ` (${p.text('lostAgainstPartnerKpa')} kPa against its axle partner over ${p.text('changeDays')} days)`,
      ),
    TIRE_PRESSURE_LOSS: (p) =>
      `${wheel(p, 'en')} tyre at ${p.text('pressureKpa')} kPa, losing air fast` +
      when(p, ['deficitPct', 'referenceKpa'], () => ` (${p.text('deficitPct')} % below ${p.text('referenceKpa')} kPa)`),
    TIRE_UNDER_INFLATED: (p) =>
      `${wheel(p, 'en')} tyre at ${p.text('pressureKpa')} kPa` +
      when(p, ['deficitPct', 'referenceKpa'], () => `, ${p.text('deficitPct')} % below ${p.text('referenceKpa')} kPa`),
    TIRE_UNEVEN_WEAR: (p) =>
      `${wheel(p, 'en')} tyre wears faster than its partner ${p.str('partner')}` +
      when(p, ['confidence'], () => ` (${pct(p, 'confidence')} % confidence)`) +
      ': check the alignment',
    COOLANT_DRIFT: (p) =>
      `Engine runs at ${p.text('currentC')} C when warm, usually ${p.text('baselineC')} C` +
      when(p, ['daysToDanger'], () => `; 105 C in about ${p.text('daysToDanger')} days`),
    COOLANT_STEP: (p) =>
      `Warm coolant jumped to ${p.text('currentC')} C on the last ${p.text('drives')} drives, from ${p.text('beforeC')} C` +
      when(p, ['spreadC'], () => ` (drives usually within ${p.text('spreadC')} C)`),
    COOLANT_OVERHEAT: (p) =>
      `Engine overheated ${p.text('episodes')} times, up to ${p.text('peakC')} C` + when(p, ['longestS'], () => `, longest ${p.text('longestS')} s`),
    COOLANT_DANGER_EPISODES: (p) =>
      `Engine above 105 C ${p.text('episodes')} times on ${p.text('days')} days, up to ${p.text('peakC')} C` +
      when(p, ['ratePerDrivingHour'], () => ` (${p.text('ratePerDrivingHour')} per driving hour)`),
    THERMOSTAT_STUCK_OPEN: (p) =>
      `Engine stayed at ${p.text('minC')}-${p.text('maxC')} C on ${p.text('coldDrives')} of ${p.text('judgedDrives')} long drives` +
      when(p, ['beforeMinC', 'beforeMaxC'], () => ` (${p.text('beforeMinC')}-${p.text('beforeMaxC')} C before)`) +
      ': thermostat probably stuck open',
    COOLANT_SENSOR_STUCK: (p) => `Coolant sensor stuck at ${p.text('valueC')} C for ${p.text('hours')} h`,
    FUEL_ECONOMY_DEGRADED: (p) =>
      `Uses ${p.text('degradationPct')} % more fuel than its own baseline` +
      when(p, ['low90', 'high90'], () => ` (90 % interval ${p.text('low90')} to ${p.text('high90')} %)`),
    DRIVING_PATTERN_CHANGED: (p) =>
      `Driving changed: idling ${pct(p, 'idleShare')} % (was ${pct(p, 'baselineIdleShare')} %), city ${pct(p, 'cityShare')} % (was ${pct(p, 'baselineCityShare')} %); allowed for`,
    FUEL_RATE_SENSOR_STUCK: () => 'Fuel-rate reading stuck at one value',
    BATTERY_LOW_CHARGE: (p) =>
      `Resting voltage ${p.text('restingV')} V (12.3 V or more when charged)` +
      when(p, ['daysToLow'], () => `; too low in about ${p.text('daysToLow')} days`),
    BATTERY_WEAK_CRANKING: (p) =>
      `Cranking dips to ${p.text('crankV')} V` + when(p, ['baselineCrankV'], () => ` (was ${p.text('baselineCrankV')} V)`) + ': battery weakening',
    CHARGING_VOLTAGE_LOW: (p) => `Charging at ${p.text('chargingV')} V with the engine running (13.5-14.8 V normal)`,
    CHARGING_VOLTAGE_HIGH: (p) => `Charging at ${p.text('chargingV')} V with the engine running (13.5-14.8 V normal): overcharging`,
    BATTERY_SENSOR_STUCK: (p) => `Battery voltage reading stuck at ${p.text('valueV')} V`,
    DTC_ACTIVE: (p) =>
      `${p.str('dtc')}${when(p, ['title'], () => ` ${p.str('title')}`)} active` +
      when(p, ['since'], () => ` since ${p.str('since').slice(0, 10)}`) +
      when(p, ['daysSeen'], () => `, seen on ${p.text('daysSeen')} days`),
    DTC_INTERMITTENT: (p) =>
      `${p.str('dtc')}${when(p, ['title'], () => ` ${p.str('title')}`)} comes and goes` +
      when(p, ['daysSeen'], () => `, seen on ${p.text('daysSeen')} days`),
    SERVICE_DUE: (p) => serviceDue(p, 'en'),
  },
  zh: {
    TIRE_TREAD_WEAR: (p) =>
      `${wheel(p, 'zh')}轮胎花纹 ${p.text('treadMm')} 毫米` +
      when(p, ['wearMmPer1000Km'], () => `，每千公里磨损 ${p.text('wearMmPer1000Km')} 毫米`) +
      when(p, ['kmTo3mm'], () => `；约 ${p.text('kmTo3mm')} 公里后到 3.0 毫米`) +
      when(p, ['dueDate'], () => `（约 ${p.str('dueDate')}）`),
    TIRE_SLOW_LEAK: (p) =>
      `${wheel(p, 'zh')}轮胎每天漏气约 ${p.text('lossKpaPerDay')} 千帕` +
      when(p, ['lostAgainstPartnerKpa', 'changeDays'], () => `（${p.text('changeDays')} 天内比同轴轮胎低 ${p.text('lostAgainstPartnerKpa')} 千帕）`),
    TIRE_PRESSURE_LOSS: (p) =>
      `${wheel(p, 'zh')}轮胎快速失压，气压 ${p.text('pressureKpa')} 千帕` +
      when(p, ['deficitPct', 'referenceKpa'], () => `，比 ${p.text('referenceKpa')} 千帕低 ${p.text('deficitPct')}%`),
    TIRE_UNDER_INFLATED: (p) =>
      `${wheel(p, 'zh')}轮胎气压 ${p.text('pressureKpa')} 千帕` +
      when(p, ['deficitPct', 'referenceKpa'], () => `，比 ${p.text('referenceKpa')} 千帕低 ${p.text('deficitPct')}%`),
    TIRE_UNEVEN_WEAR: (p) =>
      `${wheel(p, 'zh')}轮胎比同轴的${WHEELS.zh[p.str('partner')] ?? p.str('partner')}轮胎磨损快` +
      when(p, ['confidence'], () => `（置信度 ${pct(p, 'confidence')}%）`) +
      '：请检查四轮定位',
    COOLANT_DRIFT: (p) =>
      `热车水温 ${p.text('currentC')}°C，平时 ${p.text('baselineC')}°C` +
      when(p, ['daysToDanger'], () => `；约 ${p.text('daysToDanger')} 天后达到 105°C`),
    COOLANT_STEP: (p) =>
      `最近 ${p.text('drives')} 次行驶热车水温突升到 ${p.text('currentC')}°C，之前 ${p.text('beforeC')}°C` +
      when(p, ['spreadC'], () => `（平时相差约 ${p.text('spreadC')}°C）`),
    COOLANT_OVERHEAT: (p) =>
      `发动机过热 ${p.text('episodes')} 次，最高 ${p.text('peakC')}°C` + when(p, ['longestS'], () => `，最长 ${p.text('longestS')} 秒`),
    COOLANT_DANGER_EPISODES: (p) =>
      `${p.text('days')} 天内水温 ${p.text('episodes')} 次超过 105°C，最高 ${p.text('peakC')}°C` +
      when(p, ['ratePerDrivingHour'], () => `（每行驶小时 ${p.text('ratePerDrivingHour')} 次）`),
    THERMOSTAT_STUCK_OPEN: (p) =>
      `${p.text('judgedDrives')} 次长途行驶中有 ${p.text('coldDrives')} 次水温只到 ${p.text('minC')}-${p.text('maxC')}°C` +
      when(p, ['beforeMinC', 'beforeMaxC'], () => `（之前 ${p.text('beforeMinC')}-${p.text('beforeMaxC')}°C）`) +
      '：节温器可能卡在常开位置',
    COOLANT_SENSOR_STUCK: (p) => `冷却液温度传感器停在 ${p.text('valueC')}°C 已 ${p.text('hours')} 小时`,
    FUEL_ECONOMY_DEGRADED: (p) =>
      `油耗比本车基准高 ${p.text('degradationPct')}%` + when(p, ['low90', 'high90'], () => `（90% 区间 ${p.text('low90')}-${p.text('high90')}%）`),
    DRIVING_PATTERN_CHANGED: (p) =>
      `驾驶方式改变：怠速 ${pct(p, 'idleShare')}%（原 ${pct(p, 'baselineIdleShare')}%），市区 ${pct(p, 'cityShare')}%（原 ${pct(p, 'baselineCityShare')}%）；已计入`,
    FUEL_RATE_SENSOR_STUCK: () => '油耗读数停在同一个值',
    BATTERY_LOW_CHARGE: (p) =>
      `熄火电压 ${p.text('restingV')} V（充满电应不低于 12.3 V）` + when(p, ['daysToLow'], () => `；约 ${p.text('daysToLow')} 天后过低`),
    BATTERY_WEAK_CRANKING: (p) =>
      `启动时电压降到 ${p.text('crankV')} V` + when(p, ['baselineCrankV'], () => `（原 ${p.text('baselineCrankV')} V）`) + '：蓄电池老化',
    CHARGING_VOLTAGE_LOW: (p) => `发动机运转时充电电压 ${p.text('chargingV')} V（正常 13.5-14.8 V）`,
    CHARGING_VOLTAGE_HIGH: (p) => `发动机运转时充电电压 ${p.text('chargingV')} V（正常 13.5-14.8 V）：过度充电`,
    BATTERY_SENSOR_STUCK: (p) => `蓄电池电压读数停在 ${p.text('valueV')} V`,
    DTC_ACTIVE: (p) =>
      `故障码 ${p.str('dtc')} 处于激活状态` +
      when(p, ['since'], () => `，自 ${p.str('since').slice(0, 10)} 起`) +
      when(p, ['daysSeen'], () => `，共 ${p.text('daysSeen')} 天`),
    DTC_INTERMITTENT: (p) => `故障码 ${p.str('dtc')} 时有时无` + when(p, ['daysSeen'], () => `，共 ${p.text('daysSeen')} 天`),
    SERVICE_DUE: (p) => serviceDue(p, 'zh'),
  },
};

/**
 * @param {Params} p
 * @param {'en' | 'zh'} lang
 */
function wheel(p, lang) {
  return WHEELS[lang][p.str('wheel')] ?? p.str('wheel');
}

/**
 * @param {Params} p
 * @param {'en' | 'zh'} lang
 */
function serviceDue(p, lang) {
  const item = SERVICE_ITEMS[lang][p.str('item')] ?? p.str('item');
  const km = p.has('remainingKm') ? Number(p.str('remainingKm')) : 0;
  const days = p.has('daysLeft') ? Number(p.str('daysLeft')) : 0;
  const overdueKm = km < 0 ? Math.round(-km).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB') : null;
  const overdueDays = days < 0 ? Math.round(-days) : null;
  if (overdueKm !== null || overdueDays !== null) {
    const by = [
      overdueKm === null ? null : lang === 'zh' ? `${overdueKm} 公里` : `${overdueKm} km`,
      overdueDays === null ? null : lang === 'zh' ? `${String(overdueDays)} 天` : `${String(overdueDays)} days`,
    ]
      .filter((x) => x !== null)
      .join(' / ');
    return lang === 'zh' ? `${item}已逾期 ${by}` : `${item} overdue by ${by}`;
  }
  const at = [
    p.has('dueOdometerKm') ? (lang === 'zh' ? `${p.text('dueOdometerKm')} 公里` : `${p.text('dueOdometerKm')} km`) : null,
    p.has('dueDate') ? p.str('dueDate') : null,
  ]
    .filter((x) => x !== null)
    .join(lang === 'zh' ? ' 或 ' : ' or ');
  if (at === '') return lang === 'zh' ? `${item}：数据不足` : `${item}: not enough data yet`;
  return lang === 'zh' ? `${item}于 ${at} 到期` : `${item} due at ${at}`;
}

/** The finding codes this table renders, for the spec that checks it against the models. */
export const STAFF_FINDING_CODES = Object.keys(RENDER.en);

/**
 * A finding in staff words, in the dashboard's language; the model's message for a code this table does not
 * know, '' for something that is not a finding.
 * @param {unknown} finding an element of a prediction's `findings` JSON
 * @param {string} lang
 * @returns {string}
 */
export function staffFindingText(finding, lang) {
  if (typeof finding !== 'object' || finding === null) return '';
  const f = /** @type {FindingLike} */ (finding);
  const language = lang === 'zh' ? 'zh' : 'en';
  const render = typeof f.code === 'string' ? RENDER[language][f.code] : undefined;
  if (render !== undefined) {
    const params = paramsOf(f.params ?? {}, language);
    const text = render(params);
    if (!params.missing()) return text;
  }
  if (typeof f.message === 'string') return f.message;
  return typeof f.code === 'string' ? f.code : '';
}
