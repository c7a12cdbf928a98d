import { DomainError } from '#app/errors';

/** Serials are MQTT usernames, unique across the whole broker (every center). */
export class DuplicateDeviceSerialError extends DomainError {
  readonly kind = 'conflict';
  override readonly name = 'DuplicateDeviceSerialError';

  constructor(readonly serial: string) {
    super(`A device with serial ${serial} is already registered`);
  }
}
