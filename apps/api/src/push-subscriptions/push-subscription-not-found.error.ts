/** No such push subscription of the caller (404, also for another user's). */
export class PushSubscriptionNotFoundError extends Error {
  override readonly name = 'PushSubscriptionNotFoundError';

  constructor(readonly subscriptionId: string) {
    super(`Push subscription ${subscriptionId} not found`);
  }
}
