// "Turn on notifications" for this browser: service worker, permission, PushManager subscription, and
// the API's record of it. Browser objects come in as arguments (`env`), so Node tests drive it with fakes.

// @ts-check
import { sameKey, urlBase64ToUint8Array } from './model.js';

export const SW_URL = '/app/sw.js';
export const SW_SCOPE = '/app/';

/**
 * The browser objects push.js is handed, as far as it uses them (the Node specs pass fakes of this shape).
 * @typedef {object} PushEnv
 * @property {Pick<Navigator, 'serviceWorker'>} navigator
 * @property {Pick<typeof Notification, 'permission' | 'requestPermission'>} Notification
 * @property {object} [window]
 * @property {(method: string, path: string, body?: unknown) => Promise<unknown>} api
 */

/**
 * @param {PushEnv} env
 * @returns {boolean}
 */
export function pushSupported(env) {
  return Boolean(env.navigator?.serviceWorker && env.Notification && 'PushManager' in (env.window ?? globalThis));
}

/** @typedef {import('./push.js').PushState} PushState */

/**
 * 'unsupported' | 'denied' | 'on' | 'off' for this browser (not for the account's other devices).
 * @param {PushEnv} env
 * @returns {Promise<PushState>}
 */
export async function pushState(env) {
  if (!pushSupported(env)) return 'unsupported';
  if (env.Notification.permission === 'denied') return 'denied';
  const registration = await env.navigator.serviceWorker.getRegistration(SW_SCOPE);
  const subscription = registration ? await registration.pushManager.getSubscription() : null;
  return subscription !== null && env.Notification.permission === 'granted' ? 'on' : 'off';
}

/**
 * Registers the worker, asks permission (must run from a click), subscribes with the API's VAPID key
 * and stores the subscription for the owner. A subscription made with another key (the server's key
 * file was replaced) would be refused by the push service, so it is replaced.
 * @param {PushEnv} env
 * @returns {Promise<PushState>}
 */
export async function enablePush(env) {
  if (!pushSupported(env)) return 'unsupported';
  const permission = await env.Notification.requestPermission();
  if (permission !== 'granted') return permission === 'denied' ? 'denied' : 'off';
  await env.navigator.serviceWorker.register(SW_URL, { scope: SW_SCOPE });
  const registration = await env.navigator.serviceWorker.ready;
  const { publicKey } = /** @type {{ publicKey: string }} */ (await env.api('GET', '/push/vapid-public-key'));
  let subscription = await registration.pushManager.getSubscription();
  if (subscription !== null && !sameKey(subscription.options?.applicationServerKey, publicKey)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: urlBase64ToUint8Array(publicKey) });
  await env.api('POST', '/me/push-subscriptions', subscription.toJSON());
  return 'on';
}

/**
 * Removes the API's record of this browser's subscription, then the subscription itself.
 * @param {PushEnv} env
 * @returns {Promise<PushState>}
 */
export async function disablePush(env) {
  if (!pushSupported(env)) return 'unsupported';
  const registration = await env.navigator.serviceWorker.getRegistration(SW_SCOPE);
  const subscription = registration ? await registration.pushManager.getSubscription() : null;
  if (subscription === null) return 'off';
  const stored = /** @type {{ id: string; endpoint: string }[]} */ (await env.api('GET', '/me/push-subscriptions'));
  for (const record of stored.filter((s) => s.endpoint === subscription.endpoint)) {
    await env.api('DELETE', `/me/push-subscriptions/${encodeURIComponent(record.id)}`);
  }
  await subscription.unsubscribe();
  return 'off';
}

/**
 * On every start of a signed-in app: a subscription this browser still holds is stored again (an upsert).
 * It repairs what a missed pushsubscriptionchange or a 410 left behind, without asking the owner anything.
 * @param {PushEnv} env
 * @returns {Promise<boolean>}
 */

export async function resyncPush(env) {
  if (!pushSupported(env) || env.Notification.permission !== 'granted') return false;
  const registration = await env.navigator.serviceWorker.getRegistration(SW_SCOPE);
  const subscription = registration ? await registration.pushManager.getSubscription() : null;
  if (subscription === null) return false;
  await env.api('POST', '/me/push-subscriptions', subscription.toJSON());
  return true;
}
