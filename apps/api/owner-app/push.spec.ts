import { disablePush, enablePush, type PushEnv, pushState, resyncPush } from './push.js';

// push.js with fakes of the browser objects it is handed: the order of calls and what reaches the API.
// What a real browser and push service do with them is not covered here (no browser in CI).
const VAPID_KEY = Buffer.from(Uint8Array.from({ length: 65 }, (_, i) => i + 1)).toString('base64url');
const OTHER_KEY = Buffer.from(new Uint8Array(65).fill(9)).toString('base64url');

function browser(options: { permission?: string; answer?: string; existingKey?: string } = {}) {
  const calls: string[] = [];
  const subscription = (key: string) => ({
    endpoint: `https://push.example/${key.slice(0, 6)}`,
    options: { applicationServerKey: Uint8Array.from(Buffer.from(key, 'base64url')).buffer },
    toJSON: () => ({ endpoint: `https://push.example/${key.slice(0, 6)}`, keys: { p256dh: 'p', auth: 'a' } }),
    unsubscribe: async () => {
      calls.push(`unsubscribe ${key.slice(0, 6)}`);
      current = null;
      return true;
    },
  });
  let current: ReturnType<typeof subscription> | null = options.existingKey ? subscription(options.existingKey) : null;
  let registered = options.existingKey !== undefined;
  const pushManager = {
    getSubscription: async () => current,
    subscribe: async (request: { userVisibleOnly: boolean; applicationServerKey: Uint8Array }) => {
      calls.push(
        `subscribe userVisibleOnly=${request.userVisibleOnly} key=${Buffer.from(request.applicationServerKey).toString('base64url') === VAPID_KEY}`,
      );
      current = subscription(VAPID_KEY);
      return current;
    },
  };
  const registration = { pushManager };
  const Notification = {
    permission: options.permission ?? 'default',
    requestPermission: async () => {
      calls.push('requestPermission');
      Notification.permission = options.answer ?? 'granted';
      return Notification.permission;
    },
  };
  const env: PushEnv = {
    window: { PushManager: class {} },
    Notification,
    navigator: {
      serviceWorker: {
        register: async (url: string, opts: { scope: string }) => {
          calls.push(`register ${url} scope=${opts.scope}`);
          registered = true;
          return registration;
        },
        ready: Promise.resolve(registration),
        getRegistration: async () => (registered ? registration : undefined),
      },
    },
    api: async (method: string, path: string, body?: unknown) => {
      calls.push(`${method} ${path}${body === undefined ? '' : ` ${JSON.stringify(body)}`}`);
      if (path === '/push/vapid-public-key') return { publicKey: VAPID_KEY };
      if (method === 'GET' && path === '/me/push-subscriptions')
        return [
          { id: 'sub-1', endpoint: `https://push.example/${VAPID_KEY.slice(0, 6)}` },
          { id: 'sub-2', endpoint: 'https://push.example/other-browser' },
        ];
      return null;
    },
  };
  return { env, calls };
}

describe(enablePush.name, () => {
  it('registers /app/sw.js, asks permission, subscribes with the VAPID key and stores the subscription', async () => {
    const { env, calls } = browser();

    expect(await enablePush(env)).toBe('on');

    expect(calls).toEqual([
      'requestPermission',
      'register /app/sw.js scope=/app/',
      'GET /push/vapid-public-key',
      'subscribe userVisibleOnly=true key=true',
      `POST /me/push-subscriptions {"endpoint":"https://push.example/${VAPID_KEY.slice(0, 6)}","keys":{"p256dh":"p","auth":"a"}}`,
    ]);
    expect(await pushState(env)).toBe('on');
  });

  it('replaces a subscription made with another VAPID key', async () => {
    const { env, calls } = browser({ permission: 'granted', existingKey: OTHER_KEY });

    await enablePush(env);

    expect(calls).toContain(`unsubscribe ${OTHER_KEY.slice(0, 6)}`);
    expect(calls).toContain('subscribe userVisibleOnly=true key=true');
  });

  it('stops at a refused permission without registering anything with the API', async () => {
    const { env, calls } = browser({ answer: 'denied' });

    expect(await enablePush(env)).toBe('denied');
    expect(calls).toEqual(['requestPermission']);
  });

  it('reports a browser without service workers or PushManager as unsupported', async () => {
    const { env } = browser();
    expect(await enablePush({ ...env, window: {} })).toBe('unsupported');
    expect(await pushState({ ...env, navigator: {} })).toBe('unsupported');
  });
});

describe(disablePush.name, () => {
  it("deletes only this browser's subscription at the API, then unsubscribes", async () => {
    const { env, calls } = browser({ permission: 'granted' });
    await enablePush(env);
    calls.length = 0;

    expect(await disablePush(env)).toBe('off');

    expect(calls).toEqual(['GET /me/push-subscriptions', 'DELETE /me/push-subscriptions/sub-1', `unsubscribe ${VAPID_KEY.slice(0, 6)}`]);
    expect(await pushState(env)).toBe('off');
  });
});

describe(resyncPush.name, () => {
  it('stores the subscription this browser still holds again, asking the owner nothing', async () => {
    const { env, calls } = browser({ permission: 'granted', existingKey: VAPID_KEY });

    expect(await resyncPush(env)).toBe(true);

    expect(calls).toEqual([
      `POST /me/push-subscriptions {"endpoint":"https://push.example/${VAPID_KEY.slice(0, 6)}","keys":{"p256dh":"p","auth":"a"}}`,
    ]);
  });

  it('does nothing without permission or without a subscription (turning on stays a click)', async () => {
    const notGranted = browser({ permission: 'default', existingKey: VAPID_KEY });
    const none = browser({ permission: 'granted' });

    expect(await resyncPush(notGranted.env)).toBe(false);
    expect(await resyncPush(none.env)).toBe(false);

    expect([...notGranted.calls, ...none.calls]).toEqual([]);
  });
});
