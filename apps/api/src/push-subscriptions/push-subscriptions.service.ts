import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { PrismaService } from '#app/database';
import { VapidKeyStore } from '#app/notifications';
import type { PushSubscriptionView, VapidPublicKeyView } from './push-subscription.model.js';
import type { PushSubscriptionRequest } from './push-subscription.schema.js';
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
