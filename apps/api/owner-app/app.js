// @ts-check
// Owner web app: a dependency-free single page over /api/v1 (plain ES modules, no build step).
// Every value from the API reaches the DOM through text nodes or attributes, never as markup; the CSP
// allows neither inline script nor inline style.

// The chart module is the dashboard's (one copy for both pages), served from /dashboard/.
import { apiErrorText } from '/dashboard/error-text.js';
import { renderCharts, vehicleChartSpecs } from '/dashboard/evidence-charts.js';
import { translator } from './i18n.js';
import {
  actionsFor,
  ACTIVE_STATUSES,
  bookingRequest,
  CANCELLABLE_APPOINTMENTS,
  componentText,
  formatDateTime,
  formatDue,
  healthSummary,
  localInputValue,
  pickLanguage,
  preferenceRequest,
  reminderIdFromHash,
  RISKS,
  snoozeUntil,
  sortAppointments,
  sortReminders,
} from './model.js';
import { disablePush, enablePush, pushState, resyncPush, SW_SCOPE, SW_URL } from './push.js';

// The API's answers: the server's own view types (apps/api/public/api-types.d.ts), checked by tsconfig.frontend.json.
/** @typedef {import('/dashboard/api-types.js').AppointmentView} AppointmentView */
/** @typedef {import('/dashboard/api-types.js').LoginResponse} LoginResponse */
/** @typedef {import('/dashboard/api-types.js').PreferenceView} PreferenceView */
/** @typedef {import('/dashboard/api-types.js').ReminderList} ReminderList */
/** @typedef {import('/dashboard/api-types.js').ReminderView} ReminderView */
/** @typedef {import('/dashboard/api-types.js').VehicleHealthView} VehicleHealthView */
/** @typedef {import('/dashboard/api-types.js').VehiclePage} VehiclePage */
/** @typedef {import('/dashboard/api-types.js').VehicleView} VehicleView */
/** @typedef {import('/dashboard/api-types.js').VehicleChartsView} VehicleChartsView */
/** @typedef {import('./push.js').PushState} PushState */
/** @typedef {{ token: string; expiresAt: number; name: string }} Session */
/** @typedef {{ vin: string; make: string; model: string; plate: string | null }} VehicleName */
/** @typedef {Node | string | null | undefined | false} Child */
/** Attribute values, or listeners for the on* names. @typedef {Record<string, string | number | boolean | null | undefined | ((event: Event) => unknown)>} Attrs */

const API = '/api/v1';
const SESSION_KEY = 'carhealth.owner.session';
const LANG_KEY = 'carhealth.owner.lang';
const CHANNELS = /** @type {const} */ (['WEB_PUSH', 'EMAIL', 'IN_APP', 'WEBHOOK']);

/**
 * @type {{
 *   session: Session | null; lang: 'en' | 'zh'; prefs: PreferenceView | null; vehicles: VehicleView[];
 *   health: Map<string, VehicleHealthView | null>; reminders: ReminderView[]; appointments: AppointmentView[];
 *   events: EventSource | null; openForm: { id: string; kind: string } | null; refreshPending: boolean;
 * }}
 */
const state = {
  session: readSession(),
  lang: pickLanguage(localStorage.getItem(LANG_KEY), navigator.language),
  prefs: null,
  vehicles: [],
  health: new Map(),
  reminders: [],
  appointments: [],
  events: null,
  /** An action form is open on a reminder: live refreshes wait so they do not wipe what is typed. */
  openForm: null,
  refreshPending: false,
};
let t = translator(state.lang);

/**
 * An element of index.html (the page's frame: a missing one is a broken page, not a state to handle).
 * @param {string} id
 * @returns {HTMLElement}
 */
const $ = (id) => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is missing from index.html`);
  return element;
};

/**
 * Builds an element; `attrs` values are attributes (or on* listeners), children are nodes or text.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs} [attrs]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

// ---- session and API ----

/** @returns {Session | null} */
function readSession() {
  try {
    const session = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null');
    return session && typeof session.token === 'string' && session.expiresAt > Date.now() ? session : null;
  } catch {
    return null;
  }
}

class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * A call to the API; the caller names the answer's type (`@type {VehiclePage}`), one of the server's own: the
 * answer is not checked at run time (the server's OpenAPI document and e2e tests hold it to that type).
 * @template [T=unknown]
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<T>}
 */
async function api(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  if (state.session) headers.Authorization = `Bearer ${state.session.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(API + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401 && state.session) {
    signOut(t('sessionExpired'));
    throw new ApiError(401, t('sessionExpired'));
  }
  /** @type {unknown} */
  const payload = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok)
    throw new ApiError(response.status, apiErrorText(response.status, payload, state.lang) ?? `${t('requestFailed')} (${response.status})`);
  return /** @type {T} */ (payload);
}

const pushEnv = () => ({ navigator, Notification: window.Notification, window, api });

/**
 * @param {string | undefined} message
 * @param {'error' | 'info'} [kind]
 */
function showStatus(message, kind = 'error') {
  const status = $('status');
  status.className = `status ${kind}`;
  status.textContent = message ?? '';
  if (kind === 'info' && message) setTimeout(() => status.textContent === message && (status.textContent = ''), 4000);
}

/** @param {unknown} error */
const failed = (error) => showStatus(error instanceof Error ? error.message : String(error));

/** @param {'en' | 'zh'} lang */
function setLanguage(lang) {
  state.lang = lang;
  t = translator(lang);
  localStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('appName');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.getAttribute('data-i18n') ?? '');
}

// ---- login ----

/** @param {string} [message] */
function renderLogin(message) {
  $('nav').hidden = true;
  $('logout').hidden = true;
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('signIn'));
  const form = h(
    'form',
    { class: 'card login', onsubmit: (event) => signIn(event, email.value, password.value, submit) },
    h('h1', {}, t('loginTitle')),
    h('label', {}, t('email'), email),
    h('label', {}, t('password'), password),
    submit,
  );
  $('view').replaceChildren(form);
  showStatus(message);
}

/**
 * @param {Event} event
 * @param {string} email
 * @param {string} password
 * @param {HTMLButtonElement} submit
 */
async function signIn(event, email, password, submit) {
  event.preventDefault();
  submit.disabled = true;
  submit.textContent = t('signingIn');
  try {
    const response = await fetch(`${API}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!response.ok) throw new Error(response.status === 429 ? t('tooManyAttempts') : t('loginFailed'));
    /** @type {LoginResponse} */
    const login = await response.json();
    if (login.user?.role !== 'OWNER') throw new Error(t('ownersOnly'));
    state.session = { token: login.accessToken, expiresAt: Date.now() + login.expiresIn * 1000, name: login.user.name };
    localStorage.setItem(SESSION_KEY, JSON.stringify(state.session));
    showStatus('');
    await start();
  } catch (error) {
    submit.disabled = false;
    submit.textContent = t('signIn');
    failed(error);
  }
}

/** @param {string} message */
function signOut(message) {
  state.events?.close();
  state.events = null;
  state.session = null;
  state.prefs = null;
  localStorage.removeItem(SESSION_KEY);
  renderLogin(message);
}

async function logOut() {
  // A shared browser must not keep receiving this owner's reminders after they leave.
  await disablePush(pushEnv()).catch(() => undefined);
  // Ends the session on the server too: a copy of the token (a synced profile, a log) stops working.
  await api('POST', '/auth/logout').catch(() => undefined);
  signOut('');
}

// ---- data ----

async function start() {
  $('nav').hidden = false;
  $('logout').hidden = false;
  $('view').replaceChildren(h('p', { class: 'muted' }, t('loading')));
  try {
    /** @type {PreferenceView} */
    const prefs = await api('GET', '/me/preferences');
    state.prefs = prefs;
    // A saved preference decides the language; before the first save, the browser's (or the toggle's).
    if (prefs.updatedAt !== null) setLanguage(pickLanguage(prefs.language, navigator.language));
    await loadAll();
    connectEvents();
    render();
    // Best effort and silent: a failure here only means the next start tries again.
    void resyncPush(pushEnv()).catch(() => undefined);
  } catch (error) {
    if (state.session) failed(error);
  }
}

async function loadAll() {
  const [vehicles, reminders, appointments] = await Promise.all([
    /** @type {Promise<VehiclePage>} */ (api('GET', '/vehicles?limit=200')),
    // In the page's language (the toggle may not be saved yet): the API renders the reminder's words.
    /** @type {Promise<ReminderList>} */ (api('GET', `/me/reminders?limit=200&lang=${state.lang}`)),
    /** @type {Promise<AppointmentView[]>} */ (api('GET', '/me/appointments?limit=200')),
  ]);
  state.vehicles = vehicles.items;
  state.reminders = reminders.items;
  state.appointments = appointments;
  const health = await Promise.all(
    state.vehicles.map((v) =>
      /** @type {Promise<VehicleHealthView>} */ (api('GET', `/vehicles/${encodeURIComponent(v.vin)}/health`)).catch(() => null),
    ),
  );
  state.health = new Map(state.vehicles.map((v, i) => [v.vin, health[i] ?? null]));
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let refreshTimer;

/** Events come in bursts (an action publishes a reminder and an appointment event): one reload. */
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(async () => {
    try {
      await loadAll();
      if (state.openForm !== null) state.refreshPending = true;
      else if (route().name !== 'settings') render();
    } catch (error) {
      if (state.session) failed(error);
    }
  }, 300);
}

function connectEvents() {
  state.events?.close();
  if (state.session === null) return;
  // EventSource cannot send an Authorization header: the API takes ?access_token= on this route.
  const source = new EventSource(`${API}/me/events?access_token=${encodeURIComponent(state.session.token)}`);
  let connectedBefore = false;
  source.addEventListener('reminder', scheduleRefresh);
  source.addEventListener('appointment', scheduleRefresh);
  source.addEventListener('open', () => {
    $('live').textContent = t('live');
    $('live').className = 'live on';
    // Events are live only: after a gap the lists are reloaded (GET is the source of truth).
    if (connectedBefore) scheduleRefresh();
    connectedBefore = true;
  });
  source.addEventListener('error', () => {
    $('live').textContent = t('liveOff');
    $('live').className = 'live';
    // Closed for good (e.g. the token expired): a call tells whether to sign in again.
    if (source.readyState === EventSource.CLOSED && state.session)
      api('GET', '/me/preferences').then(
        () => setTimeout(connectEvents, 5000),
        () => undefined,
      );
  });
  state.events = source;
}

// ---- routing ----

/** @returns {{ name: 'cars'; reminderId?: string } | { name: 'appointments' } | { name: 'settings' }} */
function route() {
  const hash = location.hash;
  const reminderId = reminderIdFromHash(hash);
  if (reminderId !== null) return { name: 'cars', reminderId };
  if (hash === '#appointments') return { name: 'appointments' };
  if (hash === '#settings') return { name: 'settings' };
  return { name: 'cars' };
}

function render() {
  if (!state.session) return renderLogin();
  state.openForm = null;
  state.refreshPending = false;
  const current = route();
  for (const link of document.querySelectorAll('#nav a')) link.classList.toggle('active', link.getAttribute('data-route') === current.name);
  if (current.name === 'appointments') renderAppointments();
  else if (current.name === 'settings') renderSettings();
  else renderCars(current.reminderId);
}

// ---- my cars: reminders and health ----

/** @param {VehicleName} v */
const vehicleName = (v) => [v.make, v.model, v.plate ? `· ${v.plate}` : ''].filter(Boolean).join(' ');
/** @param {string} risk */
const riskBadge = (risk) => h('span', { class: `badge risk-${/** @type {readonly string[]} */ (RISKS).includes(risk) ? risk : 'OK'}` }, t.risk(risk));
/** @param {string | null} iso */
const when = (iso) => formatDateTime(iso, state.lang, state.prefs?.timeZone);
/** @param {string | null} iso */
const dueText = (iso) => formatDue(iso, new Date(), state.lang, state.prefs?.timeZone);
/** replaceChildren turns null into the text "null": only nodes and strings go in. */
/**
 * @param {Child[]} nodes
 * @returns {(Node | string)[]}
 */
const present = (nodes) => nodes.filter((node) => node !== null && node !== undefined && node !== false);

/** @param {string} [focusId] */
function renderCars(focusId) {
  const sorted = sortReminders(state.reminders);
  const active = sorted.filter((r) => ACTIVE_STATUSES.includes(r.status));
  const closed = sorted.filter((r) => !ACTIVE_STATUSES.includes(r.status));
  const focusClosed = closed.some((r) => r.id === focusId);
  $('view').replaceChildren(
    ...present([
      h('h1', {}, t('remindersTitle')),
      active.length === 0 ? h('p', { class: 'muted card' }, t('noReminders')) : h('div', { class: 'list' }, active.map(reminderCard)),
      closed.length === 0
        ? null
        : h(
            'details',
            { class: 'closed', open: focusClosed },
            h('summary', {}, `${t.status('DONE')} / ${t.status('RESOLVED')} (${closed.length})`),
            h('div', { class: 'list' }, closed.map(reminderCard)),
          ),
      h('h1', {}, t('carsTitle')),
      state.vehicles.length === 0 ? h('p', { class: 'muted card' }, t('noCars')) : h('div', { class: 'list' }, state.vehicles.map(vehicleCard)),
    ]),
  );
  if (focusId) {
    const card = document.querySelector(`[data-reminder-id="${CSS.escape(focusId)}"]`);
    card?.classList.add('focus');
    card?.scrollIntoView({ block: 'center' });
  }
}

/** @param {ReminderView} reminder */
function reminderCard(reminder) {
  const actions = actionsFor(reminder.status);
  const panel = h('div', { class: 'panel', hidden: true });
  /**
   * @param {string} kind
   * @param {() => Node[]} build
   */
  const open = (kind, build) => () => {
    state.openForm = { id: reminder.id, kind };
    panel.replaceChildren(...build(), h('button', { type: 'button', class: 'link', onclick: closeForm }, t('close')));
    panel.hidden = false;
  };
  const closeForm = () => {
    panel.hidden = true;
    panel.replaceChildren();
    state.openForm = null;
    if (state.refreshPending) render();
  };
  /**
   * @param {'acknowledge' | 'snooze' | 'book' | 'done'} action
   * @param {() => unknown} onclick
   */
  const button = (action, onclick) => h('button', { type: 'button', class: action === 'done' ? 'secondary' : 'primary', onclick }, t(action));
  return h(
    'article',
    { class: `card reminder risk-border-${reminder.risk}`, 'data-reminder-id': reminder.id },
    h('div', { class: 'row' }, riskBadge(reminder.risk), h('span', { class: 'muted small' }, t.status(reminder.status))),
    h('h2', {}, reminder.title),
    reminder.items.length > 1 ? needList(reminder, actions.includes('done')) : h('p', {}, reminder.text),
    h('p', { class: 'muted small' }, vehicleName(reminder.vehicle)),
    reminder.dueAt ? h('p', { class: 'small' }, `${t('due')}: ${dueText(reminder.dueAt)}`) : null,
    reminder.status === 'SNOOZED' && reminder.snoozedUntil ? h('p', { class: 'small' }, `${t('snoozedUntil')} ${when(reminder.snoozedUntil)}`) : null,
    actions.length === 0
      ? null
      : h(
          'div',
          { class: 'actions' },
          actions.includes('acknowledge') ? button('acknowledge', () => act(reminder, 'acknowledge', {}, 'acknowledged')) : null,
          actions.includes('snooze')
            ? button(
                'snooze',
                open('snooze', () => snoozeForm(reminder)),
              )
            : null,
          actions.includes('book')
            ? button(
                'book',
                open('book', () => bookForm(reminder)),
              )
            : null,
          actions.includes('done') ? button('done', () => confirm(t('confirmDone')) && act(reminder, 'done', {}, 'markedDone')) : null,
        ),
    panel,
  );
}

/**
 * A visit's needs (the wheels of one tyre-shop visit, the service items due together): each with its evidence
 * and its own "done", so an owner who had two of four tyres replaced closes those two and keeps the rest.
 * @param {ReminderView} reminder
 * @param {boolean} canMarkDone
 */
function needList(reminder, canMarkDone) {
  return h(
    'ul',
    { class: 'needs' },
    reminder.items.map((need) =>
      h(
        'li',
        { class: `need need-${need.status}`, 'data-need-subject': need.subject, 'data-need-status': need.status },
        h(
          'div',
          { class: 'row' },
          riskBadge(need.risk),
          h('strong', {}, need.headline),
          need.status === 'OPEN' ? null : h('span', { class: 'muted small' }, t.status(need.status)),
        ),
        need.status === 'OPEN' ? h('p', { class: 'small' }, need.why) : null,
        need.status === 'OPEN' && need.due !== '' ? h('p', { class: 'small muted' }, need.due) : null,
        canMarkDone && need.status === 'OPEN' && need.id !== null
          ? h(
              'button',
              {
                type: 'button',
                class: 'secondary small-button',
                onclick: () =>
                  confirm(t('confirmNeedDone', { name: need.headline })) && act(reminder, 'done', { items: [need.id] }, 'markedNeedDone'),
              },
              t('needDone'),
            )
          : null,
      ),
    ),
  );
}

/** @param {ReminderView} reminder */
function snoozeForm(reminder) {
  /**
   * @param {'1d' | '1w' | 'custom'} preset
   * @param {string} [date]
   */
  const snooze = (preset, date) => {
    const result = snoozeUntil(preset, new Date(), date);
    if (!result.ok) return showStatus(t(result.error));
    return act(reminder, 'snooze', { until: result.until }, 'snoozed');
  };
  const date = h('input', { type: 'date', min: localInputValue(new Date(), 1).slice(0, 10), max: localInputValue(new Date(), 90).slice(0, 10) });
  return [
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', onclick: () => snooze('1d') }, t('snooze1d')),
      h('button', { type: 'button', class: 'secondary', onclick: () => snooze('1w') }, t('snooze1w')),
    ),
    h(
      'form',
      { class: 'inline', onsubmit: (e) => (e.preventDefault(), snooze('custom', date.value)) },
      h('label', {}, t('snoozeDate'), date),
      h('button', { type: 'submit', class: 'secondary' }, t('snoozeCustom')),
    ),
  ];
}

/** @param {ReminderView} reminder */
function bookForm(reminder) {
  const preferred = h('input', { type: 'datetime-local', required: true, value: localInputValue(new Date(), 1) });
  const notes = h('textarea', { rows: 2, maxlength: 2000 });
  /** @param {Event} event */
  const submit = (event) => {
    event.preventDefault();
    const result = bookingRequest(preferred.value, notes.value, new Date());
    if (!result.ok) return showStatus(t(result.error));
    return act(reminder, 'book', result.body, 'booked');
  };
  return [
    h(
      'form',
      { class: 'stack', onsubmit: submit },
      h('strong', {}, t('bookTitle')),
      h('label', {}, t('preferredAt'), preferred),
      h('label', {}, t('notes'), notes),
      h('button', { type: 'submit', class: 'primary' }, t('sendRequest')),
    ),
  ];
}

/**
 * @param {ReminderView} reminder
 * @param {'acknowledge' | 'snooze' | 'book' | 'done'} action
 * @param {object} body
 * @param {string} doneKey
 */
async function act(reminder, action, body, doneKey) {
  try {
    await api('POST', `/reminders/${encodeURIComponent(reminder.id)}/${action}`, body);
    showStatus(t(doneKey), 'info');
    state.openForm = null;
    await loadAll();
    render();
  } catch (error) {
    failed(error);
  }
}

/** @param {VehicleView} vehicle */
function vehicleCard(vehicle) {
  const health = state.health.get(vehicle.vin);
  const components = health?.components ?? [];
  const summary = healthSummary(components);
  return h(
    'article',
    { class: 'card vehicle', 'data-vin': vehicle.vin },
    h('div', { class: 'row' }, h('h2', {}, vehicleName(vehicle)), health?.overall ? riskBadge(health.overall.risk) : null),
    h('p', { class: 'muted small' }, `${vehicle.year} · ${vehicle.vin}`),
    summary === null
      ? h('p', { class: 'muted' }, t('notScored'))
      : summary.allOk
        ? h('p', { class: 'health-summary' }, t('allOk').replace('{n}', String(summary.count)))
        : h(
            'p',
            { class: 'health-summary' },
            `${t('needsAttention')}: ${summary.attention.map((c) => `${t.component(c.component)} (${t.risk(c.risk)})`).join(', ')}`,
          ),
    health?.status === 'stale' ? h('p', { class: 'muted small' }, t('stale')) : null,
    components.length === 0
      ? null
      : h(
          'ul',
          { class: 'components' },
          components.map((c) =>
            h(
              'li',
              {},
              h('div', { class: 'row' }, h('strong', {}, t.component(c.component)), riskBadge(c.risk)),
              h('p', { class: 'small' }, componentText(c, state.lang)),
              c.dueAt && c.risk !== 'OK' ? h('p', { class: 'muted small' }, `${t('due')}: ${dueText(c.dueAt)}`) : null,
            ),
          ),
        ),
    trendsPanel(vehicle),
  );
}

/** The car's charts, drawn when the owner opens them (ECharts and the series load only then). */
/** @param {VehicleView} vehicle */
function trendsPanel(vehicle) {
  const body = h('div', { class: 'charts-grid' }, h('p', { class: 'muted small' }, t('loading')));
  let drawn = false;
  const panel = h('details', { class: 'trends' }, h('summary', {}, t('trends')), body);
  panel.addEventListener('toggle', () => {
    if (!panel.open || drawn) return;
    drawn = true;
    /** @type {Promise<VehicleChartsView>} */ (api('GET', `/vehicles/${encodeURIComponent(vehicle.vin)}/charts?days=90`))
      .then((data) => renderCharts(body, vehicleChartSpecs(data, state.lang, ['coolant', 'tread', 'battery', 'health']), state.lang))
      .catch((error) => {
        drawn = false;
        failed(error);
      });
  });
  return panel;
}

// ---- appointments ----

function renderAppointments() {
  const list = sortAppointments(state.appointments);
  $('view').replaceChildren(
    h('h1', {}, t('appointmentsTitle')),
    list.length === 0
      ? h('p', { class: 'muted card' }, t('noAppointments'))
      : h(
          'div',
          { class: 'list' },
          list.map((a) =>
            h(
              'article',
              { class: 'card' },
              h('div', { class: 'row' }, h('strong', {}, vehicleName(a.vehicle)), h('span', { class: `badge appt-${a.status}` }, t.status(a.status))),
              h('p', { class: 'small' }, `${t('preferredAt')}: ${when(a.preferredAt)}`),
              a.scheduledAt ? h('p', { class: 'small' }, `${t('scheduledAt')}: ${when(a.scheduledAt)}`) : null,
              a.notes ? h('p', { class: 'muted small' }, a.notes) : null,
              CANCELLABLE_APPOINTMENTS.includes(a.status)
                ? h(
                    'div',
                    { class: 'actions' },
                    h('button', { type: 'button', class: 'secondary', onclick: () => cancelAppointment(a) }, t('cancelAppointment')),
                  )
                : null,
            ),
          ),
        ),
  );
}

/** @param {AppointmentView} appointment */
async function cancelAppointment(appointment) {
  if (!confirm(t('confirmCancel'))) return;
  try {
    await api('POST', `/appointments/${encodeURIComponent(appointment.id)}/cancel`, {});
    showStatus(t('appointmentCancelled'), 'info');
    await loadAll();
    render();
  } catch (error) {
    failed(error);
  }
}

// ---- settings and push ----

function renderSettings() {
  const prefs = state.prefs;
  // Settings are drawn once start() has read them (render() runs only after that).
  if (prefs === null) return;
  const language = h(
    'select',
    {},
    h('option', { value: 'en', selected: prefs.language !== 'zh' }, 'English'),
    h('option', { value: 'zh', selected: prefs.language === 'zh' }, '中文'),
  );
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const timeZone = h('input', { type: 'text', list: 'time-zones', value: prefs.timeZone, autocomplete: 'off' });
  const from = h('input', { type: 'time', value: prefs.quietHoursStart ?? '' });
  const to = h('input', { type: 'time', value: prefs.quietHoursEnd ?? '' });
  const channelBoxes = CHANNELS.map((channel) => {
    const box = h('input', {
      type: 'checkbox',
      value: channel,
      checked: prefs.channels.includes(channel),
      disabled: channel === 'WEBHOOK' && !prefs.webhookUrl,
    });
    return h('label', { class: 'check' }, box, t.channel(channel));
  });
  const email = h('input', { type: 'email', value: prefs.email ?? '', autocomplete: 'email' });
  const digest = h('input', { type: 'checkbox', checked: prefs.digest });
  /** @param {Event} event */
  const save = async (event) => {
    event.preventDefault();
    const result = preferenceRequest(prefs, {
      language: language.value,
      timeZone: timeZone.value,
      quietHoursStart: from.value,
      quietHoursEnd: to.value,
      channels: channelBoxes
        .map((label) => /** @type {HTMLInputElement} */ (label.firstChild))
        .filter((box) => box.checked)
        .map((box) => box.value),
      email: email.value,
      digest: digest.checked,
    });
    if (!result.ok) return showStatus(t(result.error));
    try {
      /** @type {PreferenceView} */
      const saved = await api('PUT', '/me/preferences', result.body);
      state.prefs = saved;
      setLanguage(saved.language === 'zh' ? 'zh' : 'en');
      render();
      showStatus(t('saved'), 'info');
    } catch (error) {
      failed(error);
    }
  };
  const pushStatus = h('p', { class: 'small' }, t('loading'));
  const pushButton = h('button', { type: 'button', class: 'primary', hidden: true });
  // The first password came from the service center with the car: the owner replaces it here.
  const currentPassword = h('input', { type: 'password', name: 'current-password', autocomplete: 'current-password', required: true });
  const newPassword = h('input', { type: 'password', name: 'new-password', autocomplete: 'new-password', minlength: 10, required: true });
  /** @param {Event} event */
  const changePassword = async (event) => {
    event.preventDefault();
    try {
      await api('POST', '/me/password', { currentPassword: currentPassword.value, newPassword: newPassword.value });
      currentPassword.value = '';
      newPassword.value = '';
      showStatus(t('passwordChanged'), 'info');
    } catch (error) {
      failed(error);
    }
  };
  $('view').replaceChildren(
    h('h1', {}, t('settingsTitle')),
    h(
      'form',
      { class: 'card stack', onsubmit: save },
      h('label', {}, t('language'), language),
      h(
        'label',
        {},
        t('timeZone'),
        timeZone,
        h(
          'datalist',
          { id: 'time-zones' },
          zones.map((zone) => h('option', { value: zone })),
        ),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, t('quietHours')),
        h('div', { class: 'row' }, h('label', {}, t('quietFrom'), from), h('label', {}, t('quietTo'), to)),
      ),
      h('fieldset', {}, h('legend', {}, t('channels')), channelBoxes),
      h('label', {}, t('emailAddress'), email),
      h('label', { class: 'check' }, digest, t('digest')),
      h('button', { type: 'submit', class: 'primary' }, t('save')),
    ),
    h(
      'form',
      { class: 'card stack', onsubmit: changePassword },
      h('h2', {}, t('passwordTitle')),
      h('label', {}, t('currentPassword'), currentPassword),
      h('label', {}, t('newPassword'), newPassword),
      h('button', { type: 'submit', class: 'primary' }, t('changePassword')),
    ),
    h(
      'section',
      { class: 'card stack' },
      h('h2', {}, t('pushTitle')),
      pushStatus,
      pushButton,
      prefs.channels.includes('WEB_PUSH') ? null : h('p', { class: 'muted small' }, t('pushNeedsChannel')),
    ),
  );
  showPushState(pushStatus, pushButton);
}

/**
 * @param {HTMLElement} statusNode
 * @param {HTMLButtonElement} button
 * @param {PushState} [known]
 */
async function showPushState(statusNode, button, known) {
  /** @type {PushState} */
  const current = known ?? (await pushState(pushEnv()).catch(() => /** @type {const} */ ('unsupported')));
  /** @type {Record<PushState, string>} */
  const text = { on: 'pushEnabled', off: 'pushDisabled', denied: 'pushDenied', unsupported: 'pushUnsupported' };
  statusNode.textContent = t(text[current] ?? 'pushDisabled');
  button.hidden = current === 'unsupported' || current === 'denied';
  button.textContent = current === 'on' ? t('pushOff') : t('pushOn');
  button.onclick = async () => {
    button.disabled = true;
    try {
      const next = current === 'on' ? await disablePush(pushEnv()) : await enablePush(pushEnv());
      await showPushState(statusNode, button, next);
    } catch (error) {
      failed(error);
    } finally {
      button.disabled = false;
    }
  };
}

// ---- start ----

setLanguage(state.lang);
$('lang-toggle').addEventListener('click', () => {
  setLanguage(state.lang === 'zh' ? 'en' : 'zh');
  render();
  // The reminders' words come rendered from the API: read them again in the new language.
  if (state.session) scheduleRefresh();
});
$('logout').addEventListener('click', () => void logOut());
window.addEventListener('hashchange', () => state.session && render());
window.addEventListener('offline', () => showStatus(t('offline')));
window.addEventListener('online', () => state.session && (showStatus(''), scheduleRefresh()));

if ('serviceWorker' in navigator) {
  // A notification clicked while the app is open: the worker asks this window to show the reminder.
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data?.type === 'open' && typeof event.data.url === 'string') location.hash = new URL(event.data.url, location.href).hash;
  });
  // Registered up front so the app installs and opens offline; push needs the owner's click anyway.
  navigator.serviceWorker.register(SW_URL, { scope: SW_SCOPE }).catch(() => undefined);
}

if (state.session) void start();
else renderLogin();
