/** The VAPID key file exists but cannot be used; never silently replaced, since that orphans every subscription. */
export class VapidKeyFileError extends Error {
  override readonly name = 'VapidKeyFileError';

  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`VAPID key file ${path}: ${reason}`);
  }
}
