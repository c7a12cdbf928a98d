// @ts-check
// Service-center dashboard: a dependency-free single page over /api/v1.
// Every value from the API reaches the DOM through text nodes or setAttribute, never as markup.

import { appointmentsPage } from './appointments-page.js';
import { callPanel, callSections, callViewTabs } from './call-list.js';
import { fleetChartSpec, renderCharts, vehicleChartSpecs } from './evidence-charts.js';
import { apiErrorText } from './error-text.js';
import { staffFindingText } from './finding-text.js';
import { translator } from './i18n.js';
import { obdImportSection } from './obd-import.js';
import { labelVehiclesNav, vehiclesPage } from './vehicles-page.js';

// The API's answers: the server's own view types (api-types.d.ts), checked by tsconfig.frontend.json.
/** @typedef {import('./api-types.js').AppointmentView} AppointmentView */
/** @typedef {import('./api-types.js').ApiErrorBody} ApiErrorBody */
/** @typedef {import('./api-types.js').AttentionItemView} AttentionItemView */
/** @typedef {import('./api-types.js').AttentionView} AttentionView */
/** @typedef {import('./api-types.js').ComponentHealthView} ComponentHealthView */
/** @typedef {import('./api-types.js').DashboardSummaryView} DashboardSummaryView */
/** @typedef {import('./api-types.js').DeviceStatusList} DeviceStatusList */
/** @typedef {import('./api-types.js').DeviceStatusView} DeviceStatusView */
/** @typedef {import('./api-types.js').FleetRiskView} FleetRiskView */
/** @typedef {import('./api-types.js').LoginResponse} LoginResponse */
/** @typedef {import('./api-types.js').RejectedMessageList} RejectedMessageList */
/** @typedef {import('./api-types.js').RejectedMessageView} RejectedMessageView */
/** @typedef {import('./api-types.js').SilentVehicleList} SilentVehicleList */
/** @typedef {import('./api-types.js').TelemetryBucketView} TelemetryBucketView */
/** @typedef {import('./api-types.js').TelemetryResponse} TelemetryResponse */
/** @typedef {import('./api-types.js').VehicleChartsView} VehicleChartsView */
/** @typedef {import('./api-types.js').VehicleHealthView} VehicleHealthView */
/** @typedef {import('./api-types.js').VehicleView} VehicleView */
/** @typedef {Node | string | number | null | undefined | false} Child */
/** Attribute values, or listeners for the on* names. @typedef {Record<string, string | number | boolean | null | undefined | ((event: Event) => unknown)>} Attrs */

const API = '/api/v1';
const TOKEN_KEY = 'carhealth.token';
const LANG_KEY = 'carhealth.lang';
const RISKS = ['OK', 'WATCH', 'SOON', 'URGENT', 'CRITICAL'];

/** @type {'en' | 'zh'} */
let lang = localStorage.getItem(LANG_KEY) === 'zh' ? 'zh' : 'en';
const translators = { en: translator('en'), zh: translator('zh') };
/** @param {string} key */
const t = (key) => translators[lang](key);
/** @param {string} risk */
const riskLabel = (risk) => translators[lang].risk(risk);
/** @param {string} name */
const componentLabel = (name) => translators[lang].component(name);
/** @param {string | undefined} risk */
const riskClass = (risk) => (risk !== undefined && RISKS.includes(risk) ? `risk-${risk}` : '');

class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   */
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** @param {unknown} error */
const errorText = (error) => (error instanceof Error ? error.message : String(error));

/**
 * Keeps a failure as a value: an optional part of a page (the charts) shows its message in its place.
 * @param {unknown} error
 */
const toError = (error) => (error instanceof Error ? error : new Error(String(error)));

// ---------- DOM helpers (text only) ----------

/**
 * h('div', { class: 'x' }, 'text', child): strings become text nodes, so data is never parsed as HTML.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs} [attrs]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/**
 * @param {string} tag
 * @param {Attrs} [attrs]
 * @param {...(Child | Child[])} children
 * @returns {SVGElement}
 */
function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/**
 * @param {Element} el
 * @param {Attrs} attrs
 */
function setAttrs(el, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
}

/**
 * @param {Element} el
 * @param {(Child | Child[])[]} children
 */
function append(el, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** @param {...(Child | Child[])} nodes */
function render(...nodes) {
  view().replaceChildren(.../** @type {(Node | string)[]} */ (nodes.flat().filter(Boolean)));
}

/**
 * An element of index.html (the page's frame: a missing one is a broken page, not a state to handle).
 * @param {string} id
 * @returns {HTMLElement}
 */
function byId(id) {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is missing from index.html`);
  return element;
}

const view = () => byId('view');

/**
 * @param {string | undefined} message
 * @param {'error' | 'info'} [kind]
 */
function showStatus(message, kind = 'error') {
  const status = byId('status');
  status.className = `status ${kind === 'info' ? 'info' : ''}`;
  status.textContent = message ?? '';
}

/**
 * @param {string | null | undefined} iso
 * @param {boolean} [withTime]
 */
function formatDate(iso, withTime = true) {
  if (!iso) return t('never');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
  return withTime
    ? date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' })
    : date.toLocaleDateString(locale, { dateStyle: 'medium' });
}

/**
 * @param {number | null | undefined} value
 * @param {string} [unit]
 */
const formatNumber = (value, unit = '') =>
  value === null || value === undefined ? '–' : `${Math.round(value).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB')}${unit}`;

/** @param {string} risk */
const badge = (risk) => h('span', { class: `badge ${riskClass(risk)}` }, riskLabel(risk));

/** @param {number} seconds */
function formatDuration(seconds) {
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min`;
  if (seconds < 2 * 86400) return `${Math.round(seconds / 3600)} h`;
  return lang === 'zh' ? `${Math.round(seconds / 86400)} 天` : `${Math.round(seconds / 86400)} d`;
}

/**
 * The car's device in words (GET .../device-status): connected, offline for 3 h, unplugged, never connected.
 * @param {DeviceStatusView | null | undefined} status
 */
function deviceState(status) {
  if (!status) return null;
  const words = translators[lang].deviceState(status.state).replace('{d}', formatDuration(status.offlineForSeconds ?? 0));
  const refused = status.allRefused ? ` · ${t('allRefused')}: ${status.allRefused.reason}` : '';
  return h('span', { class: 'small device-state', 'data-device-state': status.state, title: status.allRefused?.detail ?? '' }, `${words}${refused}`);
}

// ---------- API ----------

// Each route() starts a navigation and ends the one before: the previous page's reads (GET) are aborted, and a read
// of an ended navigation never settles, so a slow page stops where it awaited instead of drawing over the next one
// (even an optional part's `.catch` is not reached). Writes (POST) always run to their end.
let navigation = new AbortController();

function beginNavigation() {
  navigation.abort();
  navigation = new AbortController();
}

/**
 * What a read of an ended navigation returns: a promise that never settles (nothing refers to it once the page's
 * suspended function is dropped, so it is collected with it).
 * @returns {Promise<never>}
 */
const ended = () => new Promise(() => undefined);

const token = () => sessionStorage.getItem(TOKEN_KEY);

/**
 * A call to the API; the caller names the answer's type (a cast to `Promise<VehicleView>`), one of the server's
 * own: the answer is not checked at run time (the server's OpenAPI document and e2e tests hold it to that type).
 * @template [T=unknown]
 * @param {string} path
 * @param {{ method?: string; body?: unknown }} [options]
 * @returns {Promise<T>}
 */
async function api(path, { method = 'GET', body } = {}) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  if (token()) headers.Authorization = `Bearer ${token()}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const signal = method === 'GET' ? navigation.signal : undefined;
  /** @type {Response} */
  let response;
  try {
    response = await fetch(`${API}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (error) {
    if (signal?.aborted) return ended();
    throw error;
  }
  /** @type {ApiErrorBody | null} */
  const payload = await response.json().catch(() => null);
  if (signal?.aborted) return ended();
  if (response.status === 401 && path !== '/auth/login') {
    sessionStorage.removeItem(TOKEN_KEY);
    location.hash = '#/login';
    throw new ApiError(401, t('sessionExpired'));
  }
  if (!response.ok) {
    const message = apiErrorText(response.status, payload, lang);
    throw new ApiError(response.status, `${t('requestFailed')} (${response.status})${message === undefined ? '' : `: ${message}`}`);
  }
  return /** @type {T} */ (payload);
}

/** @param {string} vin */
const vinPath = (vin) => `/vehicles/${encodeURIComponent(vin)}`;

// ---------- pages ----------

function loginPage() {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('signIn'));
  const form = h(
    'form',
    { class: 'login card' },
    h('h1', {}, t('loginTitle')),
    h('label', {}, t('email'), email),
    h('label', {}, t('password'), password),
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    submit.textContent = t('signingIn');
    try {
      /** @type {LoginResponse} */
      const result = await api('/auth/login', { method: 'POST', body: { email: email.value, password: password.value } });
      sessionStorage.setItem(TOKEN_KEY, result.accessToken);
      showStatus('');
      location.hash = '#/customers';
    } catch (error) {
      const status = error instanceof ApiError ? error.status : undefined;
      showStatus(status === 401 || status === 400 ? t('loginFailed') : errorText(error));
      submit.disabled = false;
      submit.textContent = t('signIn');
    }
  });
  render(form);
  email.focus();
}

/** @param {URLSearchParams} params */
async function customersPage(params) {
  const asked = params.get('risk') ?? '';
  const minimum = RISKS.includes(asked) ? asked : 'SOON';
  const callView = params.get('view') === 'handled' ? 'handled' : 'due';
  render(h('p', { class: 'muted' }, t('loading')));
  const [summary, attention, fleet, silent] = await Promise.all([
    /** @type {Promise<DashboardSummaryView>} */ (api('/dashboard/summary')),
    /** @type {Promise<AttentionView>} */ (api(`/dashboard/attention?risk=${encodeURIComponent(minimum)}&limit=100&view=${callView}`)),
    /** @type {Promise<FleetRiskView>} */ (api('/dashboard/charts/risk-by-component')).catch((/** @type {unknown} */ error) => toError(error)),
    /** @type {Promise<SilentVehicleList>} */ (api('/dashboard/silent')),
  ]);
  // The devices of the listed cars; the list still shows without them.
  const vins = attention.items.map((item) => item.vin);
  const devices = new Map(
    vins.length === 0
      ? []
      : (
          (await /** @type {Promise<DeviceStatusList>} */ (api(`/dashboard/device-status?vins=${vins.join(',')}`)).catch(() => null))?.items ?? []
        ).map((d) => [d.vin, d]),
  );

  /**
   * @param {number} value
   * @param {string} label
   * @param {string} [risk]
   */
  const tile = (value, label, risk) =>
    h('div', { class: `tile ${riskClass(risk)}` }, h('div', { class: 'value' }, String(value)), h('div', { class: 'label' }, label));
  const tiles = h(
    'div',
    { class: 'tiles' },
    tile(summary.vehicles, t('vehicles')),
    [...RISKS].reverse().map((risk) => tile(summary.byRisk[/** @type {keyof DashboardSummaryView['byRisk']} */ (risk)] ?? 0, riskLabel(risk), risk)),
    tile(summary.byRisk.NOT_SCORED ?? 0, t('notScored')),
    tile(summary.reportingLast24h, t('reporting24h')),
    tile(summary.rejectedLast24h, t('rejected24h')),
  );

  const select = h(
    'select',
    { class: 'field', 'aria-label': t('showAtLeast') },
    RISKS.slice(1).map((risk) => h('option', { value: risk, selected: risk === minimum }, riskLabel(risk))),
  );
  select.addEventListener('change', () => {
    location.hash = `#/customers?risk=${select.value}&view=${callView}`;
  });

  const items =
    attention.items.length === 0
      ? h('p', { class: 'card muted' }, t('noneToCall'))
      : h(
          'div',
          { class: 'list' },
          attention.items.map((item) => attentionItem(item, devices.get(item.vin), () => customersPage(params))),
        );

  // Cars whose every message was refused would otherwise just go quiet: listed with the reason.
  const silentList =
    silent.items.length === 0
      ? null
      : h(
          'div',
          { class: 'card' },
          h('div', { class: 'small' }, t('silentCars')),
          h(
            'ul',
            { class: 'findings' },
            silent.items.map((item) =>
              h(
                'li',
                {},
                h('a', { href: `#/vehicle/${encodeURIComponent(item.vin)}` }, `${item.make} ${item.model} (${item.plate ?? item.vin})`),
                `: ${item.rejectedLast24h} × ${item.lastReason} — ${item.lastDetail}`,
              ),
            ),
          ),
        );

  const fleetChart = h('div', { class: 'charts-grid fleet' });
  render(
    h('h1', {}, t('navCustomers')),
    tiles,
    fleetChart,
    silentList,
    h('p', {}, h('label', {}, `${t('showAtLeast')}: `, select)),
    callViewTabs(callView, attention.handled, minimum, uiHelpers()),
    items,
  );
  if (fleet instanceof Error) fleetChart.replaceChildren(h('p', { class: 'card muted' }, fleet.message));
  else await renderCharts(fleetChart, [fleetChartSpec(fleet, lang)], lang);
}

/** The helpers the page modules draw with. */
const uiHelpers = () => ({ h, api, render, lang, riskLabel, componentLabel, badge, formatDate, token, showStatus });

/**
 * @param {AttentionItemView} item
 * @param {DeviceStatusView | undefined} device
 * @param {() => void} onRecorded
 */
function attentionItem(item, device, onRecorded) {
  const worst = item.components[0];
  const vehicleHref = `#/vehicle/${encodeURIComponent(item.vin)}`;
  return h(
    'article',
    { class: `item ${riskClass(item.risk)}`, 'data-vin': item.vin },
    h(
      'div',
      {},
      h('a', { class: 'title', href: vehicleHref }, `${item.make} ${item.model} (${item.year})`),
      h('div', { class: 'small' }, item.plate ? `${item.plate} · ${item.vin}` : item.vin),
      h('div', { class: 'small' }, `${t('lastTelemetry')}: ${formatDate(item.lastTelemetryAt)}`),
      device ? h('div', {}, deviceState(device)) : null,
    ),
    h(
      'div',
      {},
      h('div', {}, item.owner.name),
      item.owner.phone
        ? h('a', { href: `tel:${item.owner.phone.replace(/[^0-9+]/g, '')}` }, item.owner.phone)
        : h('span', { class: 'small' }, t('noPhone')),
      h('div', { class: 'small' }, item.owner.email),
    ),
    h(
      'div',
      {},
      item.components.map((component) => h('div', {}, h('strong', {}, componentLabel(component.component)), ': ', staffSummary(component))),
    ),
    h(
      'div',
      { class: 'actions' },
      badge(item.risk),
      h('span', { class: 'small' }, item.dueAt ? `${t('due')}: ${formatDate(item.dueAt, false)}` : t('noDue')),
      worst && worst.dueOdometerKm !== null ? h('span', { class: 'small' }, `${t('dueKm')} ${formatNumber(worst.dueOdometerKm, ' km')}`) : null,
      h('a', { href: vehicleHref, class: 'small' }, t('open')),
    ),
    callPanel(item, uiHelpers(), onRecorded),
  );
}

/** @param {string} vin */
async function vehiclePage(vin) {
  render(h('p', { class: 'muted' }, t('loading')));
  const to = new Date();
  const from = new Date(to.getTime() - 48 * 3_600_000);
  const [vehicle, health, charts, telemetry, rejected] = await Promise.all([
    /** @type {Promise<VehicleView>} */ (api(vinPath(vin))),
    /** @type {Promise<VehicleHealthView>} */ (api(`${vinPath(vin)}/health`)),
    // The charts are extra: the page shows without them if their series cannot be had.
    /** @type {Promise<VehicleChartsView>} */ (api(`${vinPath(vin)}/charts?days=90`)).catch((/** @type {unknown} */ error) => toError(error)),
    /** @type {Promise<TelemetryResponse>} */ (
      api(`${vinPath(vin)}/telemetry?bucket=1h&from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`)
    ),
    /** @type {Promise<RejectedMessageList>} */ (api(`${vinPath(vin)}/rejected?limit=20`)),
  ]);
  const device = await /** @type {Promise<DeviceStatusView>} */ (api(`${vinPath(vin)}/device-status`)).catch(() => null);
  // Asked with bucket=1h: the answer is the bucketed shape.
  const buckets = 'buckets' in telemetry ? telemetry.buckets : [];
  const calls = await callSections(vin, uiHelpers());
  // After an import the page is drawn again, so the new history shows in its charts.
  const obdImport = await obdImportSection(vin, uiHelpers(), () => route());

  /**
   * @param {string} label
   * @param {Child} value
   */
  const fact = (label, value) => h('div', {}, h('dt', {}, label), h('dd', {}, value));
  const evidence = h('div', { class: 'charts-grid' });
  /** @type {Record<string, string>} */
  const statusTexts = { current: t('statusCurrent'), stale: t('statusStale'), 'not-scored-yet': t('statusNotScored') };
  const statusText = statusTexts[health.status] ?? health.status;

  render(
    h('p', {}, h('a', { href: '#/customers' }, t('back'))),
    h('h1', {}, `${vehicle.make} ${vehicle.model} (${vehicle.year}) `, health.overall ? badge(health.overall.risk) : null),
    h(
      'dl',
      { class: 'facts card' },
      fact('VIN', vehicle.vin),
      fact(t('plate'), vehicle.plate ?? '–'),
      fact(t('owner'), `${vehicle.owner.name}${vehicle.owner.phone ? ` · ${vehicle.owner.phone}` : ''}`),
      fact(t('odometer'), formatNumber(vehicle.odometerKm, ' km')),
      fact(t('health'), health.overall ? `${Math.round(health.overall.health)} / 100` : '–'),
      fact(t('lastTelemetry'), formatDate(vehicle.lastTelemetryAt)),
      fact(t('device'), deviceState(device) ?? '–'),
      vehicle.deviceClockNote ? fact(t('deviceClock'), vehicle.deviceClockNote) : null,
      fact(t('lastScored'), formatDate(health.lastScoredAt)),
    ),
    dataQualityList(health.components),
    h('h2', {}, t('components')),
    h('p', { class: 'small' }, statusText),
    h('div', { class: 'components' }, health.components.map(componentCard)),
    h('h2', {}, t('evidenceTitle')),
    evidence,
    h('h2', {}, t('telemetry48h')),
    buckets.length === 0
      ? h('p', { class: 'card muted' }, t('noTelemetry'))
      : h(
          'div',
          { class: 'charts' },
          lineChart(t('coolant'), buckets, (bucket) => bucket.coolantTempC.avg, 'coolant'),
          lineChart(t('speed'), buckets, (bucket) => bucket.speedKph.avg, 'speed'),
        ),
    obdImport,
    h('h2', {}, t('rejectedTitle')),
    rejected.items.length === 0 ? h('p', { class: 'card muted' }, t('noRejected')) : rejectedTable(rejected.items),
    calls,
  );
  if (charts instanceof Error) {
    if (charts instanceof ApiError && charts.status === 401) throw charts;
    evidence.replaceChildren(h('p', { class: 'card muted' }, charts.message));
    return;
  }
  await renderCharts(evidence, vehicleChartSpecs(charts, lang, ['coolant', 'overheat', 'tread', 'pressure', 'fuel', 'battery', 'health']), lang);
}

/**
 * Odometer jumps and rollbacks are evidence of several distance models: listed once for the vehicle.
 * @param {ComponentHealthView[]} components
 */
function dataQualityList(components) {
  const lines = [
    ...new Set(
      components.flatMap((component) => {
        // Evidence is each model's own JSON: odometerEvents, where a model has them, is a list of { text }.
        const evidence = /** @type {{ odometerEvents?: unknown } | null} */ (component.evidence);
        const events = evidence?.odometerEvents;
        return Array.isArray(events) ? events.map((/** @type {{ text: string }} */ event) => event.text) : [];
      }),
    ),
  ];
  return lines.length === 0
    ? null
    : h(
        'div',
        { class: 'card' },
        h('div', { class: 'small' }, t('dataQuality')),
        h(
          'ul',
          { class: 'findings' },
          lines.map((line) => h('li', {}, line)),
        ),
      );
}

/**
 * A component's findings as staff read them (facts and figures in the dashboard's language), worst first; the
 * model's own explanation (written for the owner) only when there is no finding to show.
 * @param {{ risk: string; explanation: string; findings: unknown }} component
 * @returns {{ risk: string; text: string }[]}
 */
function staffFindings(component) {
  /** @type {unknown[]} */
  const findings = Array.isArray(component.findings) ? component.findings : [];
  return findings
    .map((item) => {
      const risk = typeof item === 'object' && item !== null && 'risk' in item && typeof item.risk === 'string' ? item.risk : '';
      return { risk, text: staffFindingText(item, lang) };
    })
    .filter((finding) => finding.text !== '')
    .sort((a, b) => RISKS.indexOf(b.risk) - RISKS.indexOf(a.risk));
}

/**
 * One line for the call list: the component's findings at its risk, in staff words.
 * @param {{ risk: string; explanation: string; findings: unknown }} component
 */
function staffSummary(component) {
  const findings = staffFindings(component);
  const atRisk = findings.filter((finding) => finding.risk === component.risk);
  return (atRisk.length > 0 ? atRisk : findings).map((finding) => finding.text).join('; ') || component.explanation;
}

/** @param {ComponentHealthView} component */
function componentCard(component) {
  const findings = staffFindings(component);
  return h(
    'section',
    { class: `component ${riskClass(component.risk)}` },
    h('header', {}, h('strong', {}, componentLabel(component.component)), badge(component.risk)),
    healthBar(component.health),
    h(
      'div',
      { class: 'small' },
      `${t('health')} ${Math.round(component.health)} / 100 · ${component.dueAt ? `${t('due')} ${formatDate(component.dueAt, false)}` : t('noDue')}${
        component.dueOdometerKm !== null ? ` · ${t('dueKm')} ${formatNumber(component.dueOdometerKm, ' km')}` : ''
      }`,
    ),
    findings.length === 0
      ? // The model's explanation is English; in Chinese an OK component says so, anything else keeps it (better than nothing).
        h('p', {}, lang === 'zh' && component.risk === 'OK' ? t('nothingFound') : component.explanation)
      : h(
          'div',
          {},
          h('div', { class: 'small' }, t('findings')),
          h(
            'ul',
            { class: 'findings' },
            findings.map((finding) => h('li', {}, RISKS.includes(finding.risk) ? [badge(finding.risk), ' '] : null, finding.text)),
          ),
        ),
  );
}

/**
 * Set through the CSSOM: the page's CSP forbids style attributes.
 * @param {number} health
 */
function healthBar(health) {
  const fill = h('span');
  fill.style.width = `${Math.max(0, Math.min(100, Number(health) || 0))}%`;
  return h('div', { class: 'healthbar', title: `${t('health')} ${Math.round(health)}` }, fill);
}

/**
 * A small line chart of one hourly average; gaps (hours without data) break the line.
 * @param {string} title
 * @param {TelemetryBucketView[]} buckets
 * @param {(bucket: TelemetryBucketView) => number | null} valueOf
 * @param {string} seriesClass
 */
function lineChart(title, buckets, valueOf, seriesClass) {
  const width = 480,
    height = 160,
    left = 40,
    right = 8,
    top = 10,
    bottom = 22;
  const times = buckets.map((bucket) => new Date(bucket.bucketStart).getTime());
  const values = buckets.map(valueOf);
  const present = values.filter((value) => value !== null && value !== undefined);
  if (present.length === 0) return h('div', { class: 'chart card' }, h('strong', {}, title), h('p', { class: 'muted' }, t('noTelemetry')));
  let min = Math.min(...present),
    max = Math.max(...present);
  if (max - min < 1) {
    min -= 1;
    max += 1;
  }
  const tMin = Math.min(...times),
    tMax = Math.max(...times);
  /** @param {number} time */
  const x = (time) => left + (tMax === tMin ? (width - left - right) / 2 : ((time - tMin) / (tMax - tMin)) * (width - left - right));
  /** @param {number} value */
  const y = (value) => top + (1 - (value - min) / (max - min)) * (height - top - bottom);

  const hour = 3_600_000;
  /** @type {string[][]} */
  const segments = [];
  /** @type {string[]} */
  let current = [];
  buckets.forEach((_, index) => {
    const value = values[index];
    const contiguous = index > 0 && (times[index] ?? 0) - (times[index - 1] ?? 0) <= hour && values[index - 1] != null;
    if (value === null || value === undefined) return;
    if (!contiguous && current.length > 0) {
      segments.push(current);
      current = [];
    }
    current.push(`${x(times[index] ?? 0).toFixed(1)},${y(value).toFixed(1)}`);
  });
  if (current.length > 0) segments.push(current);

  /** @param {number} time */
  const label = (time) => new Date(time).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title },
    svg('line', { class: 'axis', x1: left, y1: height - bottom, x2: width - right, y2: height - bottom }),
    svg('line', { class: 'axis', x1: left, y1: top, x2: left, y2: height - bottom }),
    svg('text', { x: left - 4, y: top + 8, 'text-anchor': 'end' }, max.toFixed(0)),
    svg('text', { x: left - 4, y: height - bottom, 'text-anchor': 'end' }, min.toFixed(0)),
    svg('text', { x: left, y: height - 6 }, label(tMin)),
    svg('text', { x: width - right, y: height - 6, 'text-anchor': 'end' }, label(tMax)),
    segments.map((points) =>
      points.length === 1
        ? svg('circle', { class: seriesClass, cx: points[0]?.split(',')[0], cy: points[0]?.split(',')[1], r: 2.5, fill: 'currentColor' })
        : svg('polyline', { class: `series ${seriesClass}`, points: points.join(' ') }),
    ),
  );
  return h('div', { class: 'chart card' }, h('strong', {}, title), chart);
}

/** @param {RejectedMessageView[]} items */
function rejectedTable(items) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [t('receivedAt'), t('reason'), t('detail'), t('payload')].map((label) => h('th', {}, label)),
        ),
      ),
      h(
        'tbody',
        {},
        items.map((item) =>
          h(
            'tr',
            {},
            h('td', {}, formatDate(item.receivedAt)),
            h('td', {}, item.reason),
            h('td', {}, item.detail),
            h('td', {}, h('code', {}, item.payloadExcerpt)),
          ),
        ),
      ),
    ),
  );
}

// ---------- live updates ----------

// The staff member's stream carries their center's customers' reminder and appointment changes
// (EventSource cannot send headers, hence the token in the query; it is short-lived).
/** @type {EventSource | undefined} */
let live;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let refreshTimer;

function connectLive() {
  const accessToken = token();
  if (live !== undefined || !accessToken || typeof EventSource === 'undefined') return;
  live = new EventSource(`${API}/me/events?access_token=${encodeURIComponent(accessToken)}`);
  /** @param {MessageEvent<string>} message */
  const onEvent = (message) => {
    try {
      liveChanged(JSON.parse(message.data));
    } catch {
      // A frame that is not JSON is not ours to act on.
    }
  };
  live.addEventListener('reminder', onEvent);
  live.addEventListener('appointment', onEvent);
  // A refused token (expired session) closes the stream for good; the next page load asks to sign in.
  live.addEventListener('error', () => {
    if (live?.readyState === EventSource.CLOSED) disconnectLive();
  });
}

function disconnectLive() {
  live?.close();
  live = undefined;
}

/**
 * A reminder or appointment event of the center (libs/notifications' in-app event: a title, and data with the VIN).
 * @param {{ title?: string; data?: { vin?: string } } | null} event
 */
function liveChanged(event) {
  const page = location.hash.replace(/^#\/?/, '').split(/[/?]/)[0] || 'customers';
  if (page === 'customers') {
    // The list to call from: refreshed by itself, once for a burst of changes.
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void route(), 1000);
    return;
  }
  // Pages with forms are not re-rendered under the user's hands: they are told instead.
  const vin = event?.data?.vin ? ` (${event.data.vin})` : '';
  showStatus(`${t('liveChanged')}: ${event?.title ?? ''}${vin}`, 'info');
}

// ---------- shell and routing ----------

/** @param {string} route */
function applyChrome(route) {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = `${t('brand')}`;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.getAttribute('data-i18n') ?? '');
  byId('lang-toggle').textContent = t('langToggle');
  labelVehiclesNav(lang);
  const signedIn = Boolean(token());
  byId('nav').hidden = !signedIn;
  byId('logout').hidden = !signedIn;
  for (const link of document.querySelectorAll('#nav a')) {
    link.classList.toggle('active', link.getAttribute('href') === `#/${route}`);
  }
}

async function route() {
  beginNavigation();
  const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [page = '', ...rest] = path.split('/');
  const params = new URLSearchParams(query);
  if (!token() && page !== 'login') {
    location.hash = '#/login';
    return;
  }
  applyChrome(page || 'customers');
  if (page !== 'login') {
    showStatus('');
    connectLive();
  }
  try {
    switch (page) {
      case 'login':
        return loginPage();
      case '':
      case 'customers':
        return await customersPage(params);
      case 'vehicle':
        return await vehiclePage(decodeURIComponent(rest.join('/')));
      case 'appointments':
        return await appointmentsPage(params, uiHelpers());
      case 'vehicles':
        return await vehiclesPage(params, uiHelpers());
      default:
        return render(h('p', { class: 'card' }, t('notFound')));
    }
  } catch (error) {
    const status = error instanceof ApiError ? error.status : undefined;
    if (status === 403) showStatus(t('staffOnly'));
    else if (status !== 401) showStatus(errorText(error));
    else showStatus(t('sessionExpired'));
    if (status !== 401) render();
  }
}

byId('lang-toggle').addEventListener('click', () => {
  lang = lang === 'en' ? 'zh' : 'en';
  localStorage.setItem(LANG_KEY, lang);
  void route();
});
byId('logout').addEventListener('click', async () => {
  disconnectLive();
  // Ends the session on the server too: a copy of the token stops working.
  await api('/auth/logout', { method: 'POST' }).catch(() => undefined);
  sessionStorage.removeItem(TOKEN_KEY);
  location.hash = '#/login';
});
window.addEventListener('hashchange', () => void route());
void route();
