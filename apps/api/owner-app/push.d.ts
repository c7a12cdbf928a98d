// Types of push.js for the Node specs: the browser objects it is handed, as far as it uses them.
export type PushState = 'unsupported' | 'denied' | 'on' | 'off';
export interface PushEnv {
  navigator: unknown;
  Notification: unknown;
  window?: unknown;
  api(method: string, path: string, body?: unknown): Promise<unknown>;
}
export const SW_URL: string;
export const SW_SCOPE: string;
export function pushSupported(env: PushEnv): boolean;
export function pushState(env: PushEnv): Promise<PushState>;
export function enablePush(env: PushEnv): Promise<PushState>;
export function disablePush(env: PushEnv): Promise<PushState>;
export function resyncPush(env: PushEnv): Promise<boolean>;
