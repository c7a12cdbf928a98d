// @ts-check
// UI strings of the staff dashboard and of the evidence charts, English and Chinese, and the one translator both
// front-ends use: the owner app imports createTranslator (and the shared vocabulary names) from /dashboard/i18n.js
// with tables of its own (apps/api/owner-app/i18n.js). One table per language with the same keys
// (apps/api/public/i18n.spec.ts, apps/api/owner-app/model.spec.ts).

/**
 * The maintenance vocabulary's names (risks, components), one copy for every table: the dashboard's, the charts'
 * and the owner app's.
 */
export const VOCABULARY = {
  en: {
    risk: { OK: 'OK', WATCH: 'Watch', SOON: 'Soon', URGENT: 'Urgent', CRITICAL: 'Critical' },
    component: {
      ENGINE_COOLING: 'Engine cooling',
      FUEL_ECONOMY: 'Fuel economy',
      TIRES: 'Tyres',
      SERVICE_SCHEDULE: 'Service schedule',
      BATTERY: 'Battery',
      DIAGNOSTICS: 'Diagnostics',
    },
  },
  zh: {
    risk: { OK: '正常', WATCH: '观察', SOON: '即将', URGENT: '紧急', CRITICAL: '严重' },
    component: {
      ENGINE_COOLING: '发动机冷却',
      FUEL_ECONOMY: '燃油经济性',
      TIRES: '轮胎',
      SERVICE_SCHEDULE: '保养计划',
      BATTERY: '蓄电池',
      DIAGNOSTICS: '故障诊断',
    },
  },
};

export const TEXT = {
  en: {
    brand: 'Car Health · Service center',
    navCustomers: 'Customers to call',
    navAppointments: 'Appointments',
    logout: 'Log out',
    langToggle: '中文',
    loginTitle: 'Staff sign-in',
    email: 'E-mail',
    password: 'Password',
    signIn: 'Sign in',
    signingIn: 'Signing in…',
    loginFailed: 'Sign-in failed: check the e-mail and password.',
    staffOnly: 'This dashboard is for service-center staff.',
    loading: 'Loading…',
    vehicles: 'Vehicles',
    notScored: 'Not scored yet',
    reporting24h: 'Reporting (24 h)',
    rejected24h: 'Rejected msgs (24 h)',
    showAtLeast: 'Show risk at least',
    noneToCall: 'No vehicle needs attention at this level.',
    owner: 'Owner',
    phone: 'Phone',
    noPhone: 'no phone',
    due: 'Due',
    dueKm: 'Due at',
    noDue: 'no due date',
    open: 'Open vehicle',
    lastTelemetry: 'Last telemetry',
    lastScored: 'Last scored',
    never: 'never',
    odometer: 'Odometer',
    plate: 'Plate',
    health: 'Health',
    components: 'Components',
    findings: 'Findings',
    nothingFound: 'Nothing found',
    statusCurrent: 'Score is current',
    statusStale: 'Newer data waiting to be scored',
    statusNotScored: 'Not scored yet: no components to show',
    telemetry48h: 'Last 48 hours, hourly averages',
    coolant: 'Coolant °C',
    speed: 'Speed km/h',
    noTelemetry: 'No telemetry in this window.',
    rejectedTitle: 'Rejected messages',
    noRejected: 'No rejected messages.',
    receivedAt: 'Received',
    reason: 'Reason',
    detail: 'Detail',
    payload: 'Payload excerpt',
    back: '← Customers to call',
    dataQuality: 'Data quality',
    deviceClock: 'Device clock',
    silentCars: 'Nothing usable received for 24 h (messages refused)',
    appointmentsTitle: 'Appointment requests',
    noRequests: 'No appointment requests waiting.',
    vehicle: 'Vehicle',
    preferred: 'Preferred time',
    notes: 'Notes',
    scheduleAt: 'Schedule at',
    confirm: 'Confirm',
    confirmed: 'Appointment confirmed.',
    sessionExpired: 'Your session ended: please sign in again.',
    requestFailed: 'Request failed',
    notFound: 'Page not found.',
    year: 'Year',
    liveChanged: 'Updated while you were here (reload the page to see it)',
    evidenceTitle: 'Evidence, last 90 days',
    device: 'Device',
    allRefused: 'all messages refused',
    deviceState: { CONNECTED: 'Connected', OFFLINE: 'Offline for {d}', UNPLUGGED: 'Unplugged {d} ago', NEVER_CONNECTED: 'Never connected' },
    ...VOCABULARY.en,
  },
  zh: {
    brand: '车辆健康 · 服务中心',
    navCustomers: '待联系客户',
    navAppointments: '预约',
    logout: '退出',
    langToggle: 'English',
    loginTitle: '员工登录',
    email: '电子邮箱',
    password: '密码',
    signIn: '登录',
    signingIn: '正在登录…',
    loginFailed: '登录失败：请检查邮箱和密码。',
    staffOnly: '此面板仅供服务中心员工使用。',
    loading: '加载中…',
    vehicles: '车辆',
    notScored: '尚未评分',
    reporting24h: '24 小时内上报',
    rejected24h: '24 小时内拒收消息',
    showAtLeast: '最低风险等级',
    noneToCall: '此等级下没有需要关注的车辆。',
    owner: '车主',
    phone: '电话',
    noPhone: '无电话',
    due: '到期',
    dueKm: '到期里程',
    noDue: '无到期日',
    open: '查看车辆',
    lastTelemetry: '最近上报',
    lastScored: '最近评分',
    never: '从未',
    odometer: '里程',
    plate: '车牌',
    health: '健康度',
    components: '部件',
    findings: '发现',
    nothingFound: '未发现异常',
    statusCurrent: '评分为最新',
    statusStale: '有新数据等待评分',
    statusNotScored: '尚未评分：暂无部件信息',
    telemetry48h: '最近 48 小时，每小时平均值',
    coolant: '冷却液 °C',
    speed: '车速 km/h',
    noTelemetry: '此时间段内没有遥测数据。',
    rejectedTitle: '被拒收的消息',
    noRejected: '没有被拒收的消息。',
    receivedAt: '接收时间',
    reason: '原因',
    detail: '详情',
    payload: '内容摘录',
    back: '← 待联系客户',
    dataQuality: '数据质量',
    deviceClock: '设备时钟',
    silentCars: '24 小时内无可用数据（消息被拒收）',
    appointmentsTitle: '预约请求',
    noRequests: '没有待处理的预约请求。',
    vehicle: '车辆',
    preferred: '期望时间',
    notes: '备注',
    scheduleAt: '安排时间',
    confirm: '确认',
    confirmed: '预约已确认。',
    sessionExpired: '登录已过期，请重新登录。',
    requestFailed: '请求失败',
    notFound: '页面不存在。',
    year: '年份',
    liveChanged: '有新的变化（刷新页面查看）',
    evidenceTitle: '证据（最近 90 天）',
    device: '车载设备',
    allRefused: '消息全部被拒收',
    deviceState: { CONNECTED: '在线', OFFLINE: '离线 {d}', UNPLUGGED: '{d} 前被拔出', NEVER_CONNECTED: '从未连接' },
    ...VOCABULARY.zh,
  },
};

/**
 * The evidence charts' words (apps/api/public/evidence-charts.js), on both pages. `{name}` marks a value the chart
 * fills in: t('coolantCaption', { baseline, danger, forecast }).
 */
export const CHART_TEXT = {
  en: {
    noData: 'No data in this period.',
    coolantTitle: 'Engine temperature when warm',
    coolantCaption: "Median warm coolant temperature per day (°C), against this car's normal{baseline} and the danger line ({danger} °C){forecast}.",
    coolantBaseline: ' ({value} °C)',
    coolantForecast: '; dashed: trend reaching it around {expected} (between {earliest} and {latest})',
    overheatTitle: 'Overheating episodes',
    overheatCaption: 'Overheating episodes per day: coolant at {threshold} °C or more.',
    treadTitle: 'Tyre tread',
    treadCaption:
      'Tread depth per wheel (mm) against the odometer (km); dots: measured at a service; dashed: forecast to 3.0 mm (replace) and 1.6 mm (legal minimum).',
    pressureTitle: 'Tyre pressure',
    pressureCaption: 'Pressure per wheel (kPa), median per {hours} h, raw (not temperature-corrected){leaks}.',
    pressureLeaks: '; leak found: {wheels}',
    fuelTitle: 'Fuel use',
    fuelCaption: 'Fuel used per day as % of what this car normally uses for the same driving (100 % = as usual){loss}.',
    fuelLoss: '; now {pct} % more (90 % interval {low} to {high} %)',
    batteryTitle: 'Battery voltage',
    batteryCaption: 'Battery voltage per day (V): resting (engine off, parked) and the lowest while starting (cranking).',
    healthTitle: 'Health per component',
    healthCaption: 'Health score per component (0-100, lowest of each day); 100 = as new.',
    fleetTitle: 'Vehicles by component and risk',
    fleetCaption: "This center's vehicles per component and current risk (vehicles).",
    axisDay: 'Day',
    axisTemp: 'Coolant (°C)',
    axisEpisodes: 'Episodes',
    axisOdometer: 'Odometer (km)',
    axisTread: 'Tread (mm)',
    axisPressure: 'Pressure (kPa)',
    axisFuel: '% of expected',
    axisVoltage: 'Voltage (V)',
    axisHealth: 'Health (0-100)',
    axisVehicles: 'Vehicles',
    warm: 'Warm median',
    baseline: 'Normal',
    danger: 'Danger',
    forecast: 'Forecast',
    interval: 'Forecast interval',
    episodes: 'Episodes',
    measured: 'measured',
    projection: 'forecast',
    leak: 'Leak',
    expected: 'Expected',
    fuel: 'Fuel use',
    resting: 'Resting',
    cranking: 'Cranking',
    limit3: '3.0 mm: replace',
    limit16: '1.6 mm: legal minimum',
    episodeUnit: 'episodes',
    vehicleUnit: 'vehicles',
    points: 'points',
    ...VOCABULARY.en,
  },
  zh: {
    noData: '此时间段内没有数据。',
    coolantTitle: '热车后的发动机温度',
    coolantCaption: '每天热车冷却液温度中位数（°C），对比本车正常水平{baseline}和危险线（{danger} °C）{forecast}。',
    coolantBaseline: '（{value} °C）',
    coolantForecast: '；虚线：按趋势约 {expected} 达到危险线（{earliest} 至 {latest} 之间）',
    overheatTitle: '过热次数',
    overheatCaption: '每天过热次数：冷却液达到 {threshold} °C 及以上。',
    treadTitle: '轮胎花纹深度',
    treadCaption: '各车轮花纹深度（mm）随里程（km）变化；圆点：保养时测量；虚线：预计降到 3.0 mm（建议更换）和 1.6 mm（法定下限）。',
    pressureTitle: '轮胎气压',
    pressureCaption: '各车轮气压（kPa），每 {hours} 小时中位数，原始值（未做温度修正）{leaks}。',
    pressureLeaks: '；发现漏气：{wheels}',
    fuelTitle: '油耗',
    fuelCaption: '每天油耗占本车同样驾驶条件下正常油耗的百分比（100 % = 正常）{loss}。',
    fuelLoss: '；目前多 {pct} %（90 % 区间 {low} 至 {high} %）',
    batteryTitle: '蓄电池电压',
    batteryCaption: '每天蓄电池电压（V）：静置（熄火停放）与启动时最低电压。',
    healthTitle: '各部件健康度',
    healthCaption: '各部件健康分（0-100，每天最低值）；100 = 全新。',
    fleetTitle: '按部件和风险统计的车辆',
    fleetCaption: '本服务中心车辆按部件和当前风险统计（辆）。',
    axisDay: '日期',
    axisTemp: '冷却液（°C）',
    axisEpisodes: '次数',
    axisOdometer: '里程（km）',
    axisTread: '花纹深度（mm）',
    axisPressure: '气压（kPa）',
    axisFuel: '占正常油耗 %',
    axisVoltage: '电压（V）',
    axisHealth: '健康度（0-100）',
    axisVehicles: '车辆数',
    warm: '热车中位数',
    baseline: '正常',
    danger: '危险',
    forecast: '预测',
    interval: '预测区间',
    episodes: '次数',
    measured: '测量',
    projection: '预测',
    leak: '漏气',
    expected: '正常',
    fuel: '油耗',
    resting: '静置',
    cranking: '启动',
    limit3: '3.0 mm：建议更换',
    limit16: '1.6 mm：法定下限',
    episodeUnit: '次',
    vehicleUnit: '辆',
    points: '点',
    ...VOCABULARY.zh,
  },
};

/** @typedef {Record<string, string | Record<string, string>>} Table */
/** @typedef {Record<string, string | number>} Values */
/**
 * t('key') or t('key', { name: value }): the string in the language, else in English, else the key; `{name}`
 * marks are filled from `values` when given.
 * @typedef {(key: string, values?: Values) => string} Translate
 */

/**
 * @param {string} text
 * @param {Values | undefined} values
 */
const fill = (text, values) =>
  values === undefined ? text : text.replace(/\{(\w+)\}/g, (mark, /** @type {string} */ name) => (name in values ? String(values[name]) : mark));

/**
 * The translator of both front-ends: a lookup in `tables` for one language, t('key'), with one lookup per group
 * (t.risk('SOON'), t.component(...), ...); falls back to English, then the key.
 * @template {string} G
 * @param {Record<string, Table>} tables the language tables, each with an `en`
 * @param {string} lang
 * @param {readonly G[]} groups the nested tables to look up by name (t.risk, t.status, ...)
 * @returns {Translate & Record<G, Translate>}
 */
export function createTranslator(tables, lang, groups) {
  // Read as plain string tables: keys come from markup (data-i18n) and the API, not from literals.
  const en = tables.en ?? {};
  const table = tables[lang] ?? en;
  /** @type {Translate} */
  const t = (key, values) => fill(/** @type {string | undefined} */ (table[key]) ?? /** @type {string | undefined} */ (en[key]) ?? key, values);
  /** @param {string} name @returns {Translate} */
  const group = (name) => {
    const local = /** @type {Record<string, string> | undefined} */ (table[name]) ?? {};
    const fallback = /** @type {Record<string, string> | undefined} */ (en[name]) ?? {};
    return (key, values) => fill(local[key] ?? fallback[key] ?? String(key), values);
  };
  return Object.assign(t, /** @type {Record<G, Translate>} */ (Object.fromEntries(groups.map((name) => [name, group(name)]))));
}

/**
 * The dashboard's lookup for one language: t('key'), t.risk('SOON'), t.component(...), t.deviceState(...).
 * @param {string} lang
 */
export function translator(lang) {
  return createTranslator(TEXT, lang, /** @type {const} */ (['risk', 'component', 'deviceState']));
}

/**
 * The charts' lookup for one language: t('coolantTitle'), t('fuelLoss', { pct, low, high }), t.risk(...), t.component(...).
 * @param {string} lang
 */
export function chartTranslator(lang) {
  return createTranslator(CHART_TEXT, lang, /** @type {const} */ (['risk', 'component']));
}
