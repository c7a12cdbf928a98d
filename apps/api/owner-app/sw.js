// Service worker of the owner web app (scope /app/). A classic script: no imports, every worker API
// reached through `self`, so apps/api/owner-app/sw.spec.ts runs this very file in a Node vm context.
// The push payload contract is libs/notifications/WEB-PUSH.md: { title, body, tag, data }.

const APP_URL = '/app/';
const SHELL_CACHE = 'carhealth-owner-shell-v1';
const SHELL = ['/app/', '/app/app.js', '/app/model.js', '/app/i18n.js', '/app/push.js', '/app/app.css', '/app/icon.svg', '/app/manifest.webmanifest'];

self.addEventListener('install', (event) => {
  // Best effort: a failed pre-cache only means no offline start page.
  event.waitUntil(
    self.caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL))
      .catch(() => undefined)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    self.caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((key) => key.startsWith('carhealth-owner-') && key !== SHELL_CACHE).map((key) => self.caches.delete(key))),
      )
      .then(() => self.clients.claim()),
  );
});

// Network first for the app's own files (always the deployed version when online), the cached copy
// only when offline. API calls are never cached: they carry the owner's data and token.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(APP_URL)) return;
  event.respondWith(
    self
      .fetch(request)
      .catch(() => self.caches.match(request.mode === 'navigate' ? APP_URL : request).then((cached) => cached ?? self.Response.error())),
  );
});

function readPayload(data) {
  if (!data) return {};
  try {
    return data.json() ?? {};
  } catch {
    // Not JSON: show the text rather than nothing (a push must show a notification).
    return { body: data.text() };
  }
}

self.addEventListener('push', (event) => {
  const payload = readPayload(event.data);
  const title = typeof payload.title === 'string' && payload.title !== '' ? payload.title : 'Car Health';
  const data = payload.data && typeof payload.data === 'object' ? payload.data : {};
  // The tag is what makes a repeated message harmless: a notification with the same tag replaces the
  // one already shown (a delivery re-sent after a worker crash carries the same tag).
  const options = { body: typeof payload.body === 'string' ? payload.body : '', tag: payload.tag, data, icon: '/app/icon.svg' };
  if (typeof options.tag !== 'string') delete options.tag;
  event.waitUntil(self.registration.showNotification(title, options));
});

/** Where a click on a notification leads: the reminder inside the app, or the app. */
function targetUrl(data) {
  const id = data && typeof data.reminderId === 'string' ? data.reminderId : '';
  return /^[0-9A-Za-z-]{1,64}$/.test(id) ? `${APP_URL}#reminder/${id}` : APP_URL;
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = targetUrl(event.notification.data);
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => new URL(client.url).pathname.startsWith(APP_URL));
      if (open === undefined) return self.clients.openWindow(url);
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
self.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(renewSubscription(event.oldSubscription, event.newSubscription).catch(() => undefined));
});

async function renewSubscription(oldSubscription, newSubscription) {
  const old = oldSubscription && typeof oldSubscription.toJSON === 'function' ? oldSubscription.toJSON() : null;
  if (!old || !old.endpoint || !old.keys || !old.keys.auth) return;
  const fresh = newSubscription ?? (await self.registration.pushManager.subscribe(oldSubscription.options));
  await self.fetch('/api/v1/push/subscription-change', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ oldEndpoint: old.endpoint, oldAuth: old.keys.auth, subscription: fresh.toJSON() }),
  });
}
