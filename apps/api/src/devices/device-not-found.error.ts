import { DomainError } from '#app/errors';

/** No such device, or one on a vehicle outside the caller's center: both 404, so existence is not revealed. */
export class DeviceNotFoundError extends DomainError {
  readonly kind = 'not_found';
  override readonly name = 'DeviceNotFoundError';

  constructor(readonly deviceId: string) {
    super(`Device ${deviceId} not found`);
  }
}
