import { DomainError } from '#app/errors';

/** No such reminder, or one outside the caller's scope: both answer 404 so existence is not revealed. */
export class ReminderNotFoundError extends DomainError {
  readonly kind = 'not_found';
  override readonly name = 'ReminderNotFoundError';

  constructor(readonly reminderId: string) {
    super(`Reminder ${reminderId} not found`);
  }
}
