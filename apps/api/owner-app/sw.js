// @ts-check
// Service worker of the owner web app (scope /app/). A classic script: no imports, every worker API
// reached through `self` (named `worker` below, typed as the service-worker scope for tsconfig.sw.json), so
// apps/api/owner-app/sw.spec.ts runs this very file in a Node vm context.
// The push payload contract is libs/notifications/WEB-PUSH.md: { title, body, tag, data }.

// The WebWorker lib types `self` as any worker; this file only ever runs as a service worker.
const worker = /** @type {ServiceWorkerGlobalScope & typeof globalThis} */ (/** @type {unknown} */ (self));

const APP_URL = '/app/';
// v2: the shell also holds the dashboard modules the app imports (the translator, the charts, the base styles).
const SHELL_CACHE = 'carhealth-owner-shell-v2';
/** The dashboard's files the app loads by URL: without them the app's modules do not start offline. */
const SHARED = ['/dashboard/i18n.js', '/dashboard/evidence-charts.js', '/dashboard/base.css'];
const SHELL = [
  '/app/',
  '/app/app.js',
  '/app/model.js',
  '/app/i18n.js',
  '/app/push.js',
  '/app/app.css',
  '/app/icon.svg',
  '/app/manifest.webmanifest',
  ...SHARED,
];

worker.addEventListener('install', (event) => {
  // Best effort: a failed pre-cache only means no offline start page.
  event.waitUntil(
    worker.caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL))
      .catch(() => undefined)
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    worker.caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((key) => key.startsWith('carhealth-owner-') && key !== SHELL_CACHE).map((key) => worker.caches.delete(key))),
      )
      .then(() => worker.clients.claim()),
  );
});

// Network first for the app's own files (always the deployed version when online), the cached copy
// only when offline. API calls are never cached: they carry the owner's data and token.
worker.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin || !(url.pathname.startsWith(APP_URL) || SHARED.includes(url.pathname))) return;
  event.respondWith(
    worker
      .fetch(request)
      .catch(() => worker.caches.match(request.mode === 'navigate' ? APP_URL : request).then((cached) => cached ?? worker.Response.error())),
  );
});

/**
 * @param {PushMessageData | null} data
 * @returns {{ title?: unknown; body?: unknown; tag?: unknown; data?: unknown }}
 */
function readPayload(data) {
  if (!data) return {};
  try {
    return data.json() ?? {};
  } catch {
    // Not JSON: show the text rather than nothing (a push must show a notification).
    return { body: data.text() };
  }
}

worker.addEventListener('push', (event) => {
  const payload = readPayload(event.data);
  const title = typeof payload.title === 'string' && payload.title !== '' ? payload.title : 'Car Health';
  const data = payload.data && typeof payload.data === 'object' ? payload.data : {};
  // The tag is what makes a repeated message harmless: a notification with the same tag replaces the
  // one already shown (a delivery re-sent after a worker crash carries the same tag).
  /** @type {{ body: string; tag?: unknown; data: object; icon: string }} */
  const options = { body: typeof payload.body === 'string' ? payload.body : '', tag: payload.tag, data, icon: '/app/icon.svg' };
  if (typeof options.tag !== 'string') delete options.tag;
  // The tag is a string or gone (just above), as NotificationOptions wants.
  event.waitUntil(worker.registration.showNotification(title, /** @type {NotificationOptions} */ (options)));
});

/**
 * Where a click on a notification leads: the reminder inside the app, or the app.
 * @param {{ reminderId?: unknown } | null | undefined} data
 */
function targetUrl(data) {
  const id = data && typeof data.reminderId === 'string' ? data.reminderId : '';
  return /^[0-9A-Za-z-]{1,64}$/.test(id) ? `${APP_URL}#reminder/${id}` : APP_URL;
}

worker.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = targetUrl(event.notification.data);
  event.waitUntil(
    worker.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => new URL(client.url).pathname.startsWith(APP_URL));
      if (open === undefined) return worker.clients.openWindow(url);
      // An open app moves to the reminder itself (app.js listens): navigate() works only for
      // controlled windows, a message for any.
      open.postMessage({ type: 'open', url });
      return open.focus();
    }),
  );
});

// The browser replaced the subscription (it expired, or the push service rotated it), usually with no
// page open: tell the API, proving it is the same browser with the old subscription's endpoint and auth
// secret. Without an old subscription there is nothing to prove with; the app re-registers when opened.
worker.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(renewSubscription(event.oldSubscription, event.newSubscription).catch(() => undefined));
});

/**
 * @param {PushSubscription | null} oldSubscription
 * @param {PushSubscription | null} newSubscription
 */
async function renewSubscription(oldSubscription, newSubscription) {
  const old = oldSubscription && typeof oldSubscription.toJSON === 'function' ? oldSubscription.toJSON() : null;
  if (!oldSubscription || !old || !old.endpoint || !old.keys || !old.keys.auth) return;
  const fresh = newSubscription ?? (await worker.registration.pushManager.subscribe(oldSubscription.options));
  await worker.fetch('/api/v1/push/subscription-change', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ oldEndpoint: old.endpoint, oldAuth: old.keys.auth, subscription: fresh.toJSON() }),
  });
}
