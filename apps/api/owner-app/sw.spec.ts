import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { pushPayload, type ReminderContent, type RenderedMessage, renderReminderMessage } from '#app/notifications';

const SW_SOURCE = readFileSync(new URL('./sw.js', import.meta.url), 'utf8');
const ORIGIN = 'https://carhealth.example';

type Listener = (event: Record<string, unknown>) => void;
interface WindowClientFake {
  url: string;
  focused: number;
  messages: unknown[];
  focus(): Promise<WindowClientFake>;
  postMessage(message: unknown): void;
}

/**
 * The real sw.js run in a Node vm context with the few worker globals it uses. Calls to the browser APIs
 * (showNotification, clients.*) are recorded instead of performed.
 */
function loadServiceWorker(openWindows: string[] = []) {
  const listeners = new Map<string, Listener>();
  const notifications: [string, Record<string, unknown>][] = [];
  const opened: string[] = [];
  const windows: WindowClientFake[] = openWindows.map((url) => ({
    url,
    focused: 0,
    messages: [] as unknown[],
    focus() {
      this.focused += 1;
      return Promise.resolve(this);
    },
    postMessage(message: unknown) {
      this.messages.push(message);
    },
  }));
  const cached = new Map<string, string>([
    ['/app/', 'cached shell'],
    ['/dashboard/i18n.js', 'cached translator'],
  ]);
  const posted: { url: string; body: unknown }[] = [];
  const resubscribed: unknown[] = [];
  const self = {
    location: { origin: ORIGIN },
    // Offline for GETs: every network fetch fails, so a handled request is answered from the cache.
    // A POST (the subscription change) is recorded and answered.
    fetch: (url: string, init?: { method?: string; body?: string }) => {
      if (init?.method !== 'POST') return Promise.reject(new TypeError('Failed to fetch'));
      posted.push({ url, body: JSON.parse(init.body ?? 'null') });
      return Promise.resolve({ ok: true, status: 200 });
    },
    caches: {
      match: (request: string | { url: string }) =>
        Promise.resolve(cached.get(typeof request === 'string' ? request : new URL(request.url).pathname)),
    },
    Response: { error: () => 'network error response' },
    addEventListener: (type: string, listener: Listener) => listeners.set(type, listener),
    registration: {
      pushManager: {
        subscribe: (options: unknown) => {
          resubscribed.push(options);
          return Promise.resolve(browserSubscription('https://push.example/renewed', 'cmVuZXdlZC1hdXRoLTE2Yg'));
        },
      },
      showNotification: (title: string, options: Record<string, unknown>) => {
        notifications.push([title, options]);
        return Promise.resolve();
      },
    },
    clients: {
      matchAll: () => Promise.resolve(windows),
      openWindow: (url: string) => {
        opened.push(url);
        return Promise.resolve(null);
      },
    },
  };
  runInNewContext(SW_SOURCE, { self, URL, console }, { filename: 'sw.js' });

  /** Dispatches an event and waits for what it handed to waitUntil / respondWith. */
  async function dispatch(type: string, fields: Record<string, unknown>): Promise<{ responded: boolean; response?: unknown }> {
    const pending: Promise<unknown>[] = [];
    let responded = false;
    let response: unknown;
    const listener = listeners.get(type);
    if (listener === undefined) throw new Error(`sw.js has no ${type} listener`);
    listener({
      ...fields,
      waitUntil: (promise: Promise<unknown>) => pending.push(promise),
      respondWith: (promise: Promise<unknown>) => {
        responded = true;
        pending.push(promise.then((value) => (response = value)));
      },
    });
    await Promise.all(pending);
    return responded ? { responded, response } : { responded };
  }

  const push = (payload: string) => dispatch('push', { data: { json: () => JSON.parse(payload) as unknown, text: () => payload } });
  const click = (data: unknown) => {
    const notification = { data, closed: false, close: () => (notification.closed = true) };
    return dispatch('notificationclick', { notification }).then(() => notification);
  };
  return { dispatch, push, click, notifications, opened, windows, posted, resubscribed };
}

/** A PushSubscription as the worker sees one: toJSON() and the options it was made with. */
function browserSubscription(endpoint: string, auth: string) {
  return {
    endpoint,
    options: { userVisibleOnly: true, applicationServerKey: 'the-vapid-key' },
    toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh: 'p256dh-of-' + endpoint, auth } }),
  };
}

/** A reminder notification as the worker sends it: rendered, with the delivery id the worker adds. */
function deliveredMessage(deliveryId: string | undefined, overrides: Partial<ReminderContent> = {}): RenderedMessage {
  const message = renderReminderMessage(
    {
      reminderId: 'c1a4e7f0-2b43-4d55-8d11-6f1e2a3b4c5d',
      component: 'TIRES',
      risk: 'URGENT',
      finding: {
        code: 'TIRE_SLOW_LEAK',
        subject: 'FL',
        message: 'Front left tyre is slowly losing air.',
        params: { wheel: 'FL', lossKpaPerDay: 12.5 },
      },
      dueAt: '2026-12-03T10:00:00.000Z',
      dueOdometerKm: 52011,
      vehicle: { make: 'BYD', model: 'Qin PLUS', plate: '鲁B·D12345' },
      timeZone: 'Asia/Shanghai',
      ...overrides,
    },
    'zh',
  );
  return deliveryId === undefined ? message : { ...message, data: { ...message.data, deliveryId } };
}

describe('owner app service worker (sw.js)', () => {
  it('shows a push exactly as pushPayload() from #app/notifications builds it: title, body, tag and data', async () => {
    const sut = loadServiceWorker();
    const message = deliveredMessage('6f1c2e0a-0000-4000-8000-00000000009b');

    await sut.push(pushPayload(message));

    expect(sut.notifications).toHaveLength(1);
    const [title, options] = sut.notifications[0];
    expect(title).toBe(message.title);
    expect(options).toMatchObject({ body: message.text, tag: 'delivery:6f1c2e0a-0000-4000-8000-00000000009b' });
    expect(options.data).toEqual(message.data);
    expect(options.data).toMatchObject({ reminderId: 'c1a4e7f0-2b43-4d55-8d11-6f1e2a3b4c5d' });
  });

  it('gives a re-sent delivery the same tag (the browser replaces it) and a new delivery a new one', async () => {
    const sut = loadServiceWorker();
    const first = pushPayload(deliveredMessage('delivery-1'));

    await sut.push(first);
    await sut.push(first);
    await sut.push(pushPayload(deliveredMessage('delivery-2')));

    const tags = sut.notifications.map(([, options]) => options.tag);
    expect(tags).toEqual(['delivery:delivery-1', 'delivery:delivery-1', 'delivery:delivery-2']);
  });

  it('falls back to the reminder tag pushPayload gives a message without a delivery id', async () => {
    const sut = loadServiceWorker();

    await sut.push(pushPayload(deliveredMessage(undefined)));

    expect(sut.notifications[0][1].tag).toBe('reminder:c1a4e7f0-2b43-4d55-8d11-6f1e2a3b4c5d');
  });

  it('still shows something for a payload that is not JSON (a push must be user-visible)', async () => {
    const sut = loadServiceWorker();

    await sut.push('plain text');

    expect(sut.notifications).toHaveLength(1);
    expect(sut.notifications[0][0]).toBe('Car Health');
    expect(sut.notifications[0][1]).toMatchObject({ body: 'plain text' });
    expect(sut.notifications[0][1]).not.toHaveProperty('tag');
  });

  it('opens /app/#reminder/<id> when the notification is clicked and no app window is open', async () => {
    const sut = loadServiceWorker([`${ORIGIN}/dashboard/`]);
    const message = deliveredMessage('delivery-1');
    await sut.push(pushPayload(message));

    const notification = await sut.click(sut.notifications[0][1].data);

    expect(notification.closed).toBe(true);
    expect(sut.opened).toEqual(['/app/#reminder/c1a4e7f0-2b43-4d55-8d11-6f1e2a3b4c5d']);
    expect(sut.windows[0].focused).toBe(0);
  });

  it('focuses an open app window and tells it which reminder to show instead of opening another', async () => {
    const sut = loadServiceWorker([`${ORIGIN}/app/#settings`]);

    await sut.click({ reminderId: 'c1a4e7f0-2b43-4d55-8d11-6f1e2a3b4c5d' });

    expect(sut.opened).toEqual([]);
    expect(sut.windows[0].focused).toBe(1);
    expect(sut.windows[0].messages).toEqual([{ type: 'open', url: '/app/#reminder/c1a4e7f0-2b43-4d55-8d11-6f1e2a3b4c5d' }]);
  });

  it('opens the app itself for a notification without a usable reminder id', async () => {
    const sut = loadServiceWorker();

    await sut.click({ reminderId: '../../evil' });
    await sut.click(null);

    expect(sut.opened).toEqual(['/app/', '/app/']);
  });

  it("leaves API requests alone (never cached) and answers the app's own pages from the cache when offline", async () => {
    const sut = loadServiceWorker();
    const request = (path: string, mode = 'cors', method = 'GET') => ({ request: { url: `${ORIGIN}${path}`, method, mode } });

    expect(await sut.dispatch('fetch', request('/api/v1/me/reminders'))).toEqual({ responded: false });
    expect(await sut.dispatch('fetch', request('/app/app.js', 'cors', 'POST'))).toEqual({ responded: false });
    expect(await sut.dispatch('fetch', { request: { url: 'https://elsewhere.example/app/x.js', method: 'GET' } })).toEqual({ responded: false });
    expect(await sut.dispatch('fetch', request('/app/#cars', 'navigate'))).toEqual({ responded: true, response: 'cached shell' });
    expect(await sut.dispatch('fetch', request('/app/not-cached.js'))).toEqual({ responded: true, response: 'network error response' });
  });

  it('answers the dashboard modules the app imports from the cache when offline, and no other dashboard file', async () => {
    const sut = loadServiceWorker();
    const request = (path: string) => ({ request: { url: `${ORIGIN}${path}`, method: 'GET', mode: 'cors' } });

    expect(await sut.dispatch('fetch', request('/dashboard/i18n.js'))).toEqual({ responded: true, response: 'cached translator' });
    expect(await sut.dispatch('fetch', request('/dashboard/app.js'))).toEqual({ responded: false });
  });

  it('reports a replaced subscription to the API with the old endpoint and auth secret as proof', async () => {
    const sut = loadServiceWorker();
    const oldSubscription = browserSubscription('https://push.example/old', 'b2xkLWF1dGgtc2VjcmV0MQ');
    const newSubscription = browserSubscription('https://push.example/new', 'bmV3LWF1dGgtc2VjcmV0MQ');

    await sut.dispatch('pushsubscriptionchange', { oldSubscription, newSubscription });

    expect(sut.posted).toEqual([
      {
        url: '/api/v1/push/subscription-change',
        body: { oldEndpoint: 'https://push.example/old', oldAuth: 'b2xkLWF1dGgtc2VjcmV0MQ', subscription: newSubscription.toJSON() },
      },
    ]);
    expect(sut.resubscribed).toEqual([]);
  });

  it('subscribes again with the old options when the browser gives no new subscription, and does nothing without an old one', async () => {
    const sut = loadServiceWorker();
    const oldSubscription = browserSubscription('https://push.example/old', 'b2xkLWF1dGgtc2VjcmV0MQ');

    await sut.dispatch('pushsubscriptionchange', { oldSubscription, newSubscription: null });
    await sut.dispatch('pushsubscriptionchange', { oldSubscription: null, newSubscription: null });

    expect(sut.resubscribed).toEqual([oldSubscription.options]);
    expect(sut.posted).toHaveLength(1);
    expect(sut.posted[0]!.body).toMatchObject({
      oldEndpoint: 'https://push.example/old',
      subscription: { endpoint: 'https://push.example/renewed' },
    });
  });
});
