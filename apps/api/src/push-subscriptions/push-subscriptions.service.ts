import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { VapidKeyStore } from '#app/notifications';
import { accountScopeOf, systemScope } from '../common/vehicle-scope.model.js';
import type { PushSubscriptionView, VapidPublicKeyView } from './push-subscription.model.js';
import { PushSubscriptionRepository } from './push-subscription.repository.js';
import type { PushSubscriptionChangeRequest, PushSubscriptionRequest } from './push-subscription.schema.js';
import { PushSubscriptionNotFoundError } from './push-subscription-not-found.error.js';

@Injectable()
export class PushSubscriptionsService {
  // The same file the worker signs with: a subscription made with another key would be refused.
  private readonly keys: VapidKeyStore;

  constructor(
    private readonly subscriptions: PushSubscriptionRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.keys = new VapidKeyStore(config.notifications.vapid.keyFile);
  }

  async vapidPublicKey(): Promise<VapidPublicKeyView> {
    return { publicKey: (await this.keys.load()).publicKey };
  }

  /**
   * Upserts by endpoint. An endpoint belongs to one browser profile, so when another account
   * signs in there and subscribes, the subscription moves to that account: the previous one must
   * not keep receiving notifications on a browser it no longer uses.
   */
  async subscribe(user: RequestUser, request: PushSubscriptionRequest, userAgent: string | undefined): Promise<PushSubscriptionView> {
    const row = await this.subscriptions.save(accountScopeOf(user), {
      endpoint: request.endpoint,
      p256dh: request.keys.p256dh,
      auth: request.keys.auth,
      userAgent: userAgent?.slice(0, 500) ?? null,
    });
    return toView(row);
  }

  /**
   * The browser replaced its subscription (pushsubscriptionchange) while nobody was signed in: the new one
   * takes the old one's place for the same owner. Unknown old endpoint or wrong auth secret: not found, the
   * same answer for both, so the endpoint cannot be probed. An old endpoint already removed (the push
   * service answered 410 first) cannot be renewed this way: the owner turns notifications on again.
   */
  async change(request: PushSubscriptionChangeRequest, userAgent: string | undefined): Promise<PushSubscriptionView> {
    const { subscription } = request;
    const row = await this.subscriptions.replace(
      systemScope('no one is signed in: the old endpoint and its auth secret prove the subscription'),
      request.oldEndpoint,
      (old) => sameSecret(old.auth, request.oldAuth),
      (old) => ({
        endpoint: subscription.endpoint,
        p256dh: subscription.keys.p256dh,
        auth: subscription.keys.auth,
        userAgent: userAgent?.slice(0, 500) ?? old.userAgent,
      }),
    );
    if (row === null) throw new PushSubscriptionNotFoundError('for that endpoint');
    return toView(row);
  }

  async list(user: RequestUser): Promise<PushSubscriptionView[]> {
    const rows = await this.subscriptions.list(accountScopeOf(user));
    return rows.map(toView);
  }

  async unsubscribe(user: RequestUser, id: string): Promise<void> {
    if (!(await this.subscriptions.delete(accountScopeOf(user), id))) throw new PushSubscriptionNotFoundError(id);
  }
}

function toView(row: { id: string; endpoint: string; createdAt: Date; lastSuccessAt: Date | null }): PushSubscriptionView {
  return { id: row.id, endpoint: row.endpoint, createdAt: row.createdAt.toISOString(), lastSuccessAt: row.lastSuccessAt?.toISOString() ?? null };
}

function sameSecret(stored: string, given: string): boolean {
  const a = Buffer.from(stored, 'base64url');
  const b = Buffer.from(given, 'base64url');
  return a.length === b.length && timingSafeEqual(a, b);
}
