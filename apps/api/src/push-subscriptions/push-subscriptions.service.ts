import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { PrismaService } from '#app/database';
import { VapidKeyStore } from '#app/notifications';
import type { PushSubscriptionView, VapidPublicKeyView } from './push-subscription.model.js';
import type { PushSubscriptionChangeRequest, PushSubscriptionRequest } from './push-subscription.schema.js';
import { PushSubscriptionNotFoundError } from './push-subscription-not-found.error.js';

@Injectable()
export class PushSubscriptionsService {
  // The same file the worker signs with: a subscription made with another key would be refused.
  private readonly keys: VapidKeyStore;

  constructor(
    private readonly prisma: PrismaService,
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
  async subscribe(userId: string, request: PushSubscriptionRequest, userAgent: string | undefined): Promise<PushSubscriptionView> {
    const fields = { userId, p256dh: request.keys.p256dh, auth: request.keys.auth, userAgent: userAgent?.slice(0, 500) ?? null };
    const row = await this.prisma.pushSubscription.upsert({
      where: { endpoint: request.endpoint },
      create: { endpoint: request.endpoint, ...fields },
      update: fields,
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
    return this.prisma.$transaction(async (tx) => {
      const old = await tx.pushSubscription.findUnique({ where: { endpoint: request.oldEndpoint } });
      if (old === null || !sameSecret(old.auth, request.oldAuth)) throw new PushSubscriptionNotFoundError('for that endpoint');
      const { subscription } = request;
      const fields = { userId: old.userId, p256dh: subscription.keys.p256dh, auth: subscription.keys.auth, userAgent: userAgent?.slice(0, 500) ?? old.userAgent };
      if (subscription.endpoint !== old.endpoint) await tx.pushSubscription.delete({ where: { id: old.id } });
      const row = await tx.pushSubscription.upsert({
        where: { endpoint: subscription.endpoint },
        create: { endpoint: subscription.endpoint, ...fields },
        update: fields,
      });
      return toView(row);
    });
  }

  async list(userId: string): Promise<PushSubscriptionView[]> {
    const rows = await this.prisma.pushSubscription.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });
    return rows.map(toView);
  }

  async unsubscribe(userId: string, id: string): Promise<void> {
    const { count } = await this.prisma.pushSubscription.deleteMany({ where: { id, userId } });
    if (count === 0) throw new PushSubscriptionNotFoundError(id);
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
