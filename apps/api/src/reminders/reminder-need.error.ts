import { DomainError } from '#app/errors';

/** A need named in a done request that is not one of this reminder's (HTTP 400). */
export class UnknownReminderNeedError extends DomainError {
  readonly kind = 'invalid';
  override readonly name = 'UnknownReminderNeedError';

  constructor(
    readonly reminderId: string,
    readonly needId: string,
  ) {
    super(`items: ${needId} is not a need of reminder ${reminderId}`);
  }
}

/** A need named in a done request that is already done or gone (HTTP 409): the other wheels are still open. */
export class ReminderNeedClosedError extends DomainError {
  readonly kind = 'conflict';
  override readonly name = 'ReminderNeedClosedError';

  constructor(
    readonly needId: string,
    readonly status: string,
  ) {
    super(`Cannot mark need ${needId} done: it is ${status}`);
  }
}
