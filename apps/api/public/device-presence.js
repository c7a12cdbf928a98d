// @ts-check
// A car's device on the dashboard's pages, kept current without a reload. Every device-state element names its car
// (data-vin) and its state (data-device-state); while the device is away it also holds when the absence began on
// this page's monotonic clock (data-away-from), so one ticker re-words "offline for 12 s" every second. The
// staff stream's `event: device` (ingestion's presence change, for the car's service center only) re-draws the
// elements of that car wherever they are: the vehicle page, the call list, the "All vehicles" rows.

/** @typedef {import('./api-types.js').DeviceState} DeviceState */
/** Words for a state and, while away, the seconds it has lasted (the page's language). @typedef {(state: DeviceState, seconds: number) => string} DescribePresence */

/**
 * What a device-state element is drawn from: a page's answer (GET .../device-status, the vehicles list's `device`).
 * @typedef {{ state: DeviceState; offlineForSeconds: number | null }} PresenceSnapshot
 */

const AWAY = new Set(['OFFLINE', 'UNPLUGGED']);
const STATES = new Set(['CONNECTED', 'OFFLINE', 'UNPLUGGED', 'NEVER_CONNECTED']);

/** @type {DescribePresence} */
let describe = (state) => state;

/**
 * A device-state element for one car: `suffix` is what the page adds after the words (all messages refused).
 * @param {string} vin
 * @param {PresenceSnapshot} snapshot
 * @param {string} [suffix]
 * @param {string} [title]
 * @returns {HTMLSpanElement}
 */
export function presenceElement(vin, snapshot, suffix = '', title = '') {
  const element = document.createElement('span');
  element.className = 'small device-state';
  element.setAttribute('data-vin', vin);
  if (suffix !== '') element.setAttribute('data-suffix', suffix);
  if (title !== '') element.title = title;
  setPresence(element, snapshot.state, snapshot.offlineForSeconds ?? 0);
  return element;
}

/**
 * @param {Element} element
 * @param {DeviceState} state
 * @param {number} awaySeconds how long the device has been away now (for OFFLINE and UNPLUGGED)
 */
function setPresence(element, state, awaySeconds) {
  element.setAttribute('data-device-state', state);
  if (AWAY.has(state)) element.setAttribute('data-away-from', String(performance.now() - Math.max(0, awaySeconds) * 1000));
  else element.removeAttribute('data-away-from');
  word(element);
}

/** @param {Element} element */
function word(element) {
  const state = /** @type {DeviceState} */ (element.getAttribute('data-device-state') ?? 'NEVER_CONNECTED');
  const from = Number(element.getAttribute('data-away-from'));
  const seconds = element.hasAttribute('data-away-from') && Number.isFinite(from) ? Math.floor((performance.now() - from) / 1000) : 0;
  element.textContent = `${describe(state, seconds)}${element.getAttribute('data-suffix') ?? ''}`;
}

/**
 * Starts the once-a-second re-wording of durations (idempotent); `words` is asked each time, so it follows the
 * page's language.
 * @param {DescribePresence} words
 */
export function startPresenceTicker(words) {
  describe = words;
  if (ticker !== undefined) return;
  ticker = setInterval(() => {
    for (const element of document.querySelectorAll('.device-state[data-away-from]')) word(element);
  }, 1000);
}
/** @type {ReturnType<typeof setInterval> | undefined} */
let ticker;

/**
 * The elements of the cars on the page, by VIN (for re-reading them after the stream was away).
 * @returns {string[]}
 */
export function presenceVinsOnPage() {
  return [...new Set([...document.querySelectorAll('.device-state[data-vin]')].map((element) => element.getAttribute('data-vin') ?? ''))].filter(
    (vin) => vin !== '',
  );
}

/**
 * A page's fresh answer for a car: its elements re-drawn (after the stream reconnected and may have missed events).
 * @param {string} vin
 * @param {PresenceSnapshot} snapshot
 */
export function applyPresenceSnapshot(vin, snapshot) {
  for (const element of elementsOf(vin)) setPresence(element, snapshot.state, snapshot.offlineForSeconds ?? 0);
}

/**
 * `event: device` from the staff stream (libs/notifications' devicePresenceEvent): the car's elements on this page
 * take the new state; the duration counts from the change, measured on the server's clock (`at` - `since`) and
 * then on this page's, so a browser whose clock is off still shows the right length. Returns how many it updated.
 * @param {unknown} event
 * @returns {number}
 */
export function applyPresenceEvent(event) {
  if (typeof event !== 'object' || event === null || !('data' in event) || !('at' in event)) return 0;
  const { data, at } = event;
  if (typeof data !== 'object' || data === null || typeof at !== 'string') return 0;
  const vin = 'vin' in data && typeof data.vin === 'string' ? data.vin : '';
  const state = 'state' in data && typeof data.state === 'string' && STATES.has(data.state) ? /** @type {DeviceState} */ (data.state) : undefined;
  const since = 'since' in data && typeof data.since === 'string' ? Date.parse(data.since) : Number.NaN;
  if (vin === '' || state === undefined) return 0;
  const awaySeconds = Number.isNaN(since) ? 0 : (Date.parse(at) - since) / 1000;
  const elements = elementsOf(vin);
  for (const element of elements) setPresence(element, state, Number.isNaN(awaySeconds) ? 0 : awaySeconds);
  return elements.length;
}

/** @param {string} vin */
const elementsOf = (vin) => [...document.querySelectorAll(`.device-state[data-vin="${CSS.escape(vin)}"]`)];
