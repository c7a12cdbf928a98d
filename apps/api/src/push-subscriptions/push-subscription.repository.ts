import { Injectable } from '@nestjs/common';
import { type Prisma, PrismaService } from '#app/database';
import { ACCOUNT_SCOPE, type AccountScope, assertScope, scopeWhere, type SystemScope } from '../common/vehicle-scope.model.js';

export type PushSubscriptionRow = Prisma.PushSubscriptionGetPayload<object>;
export interface PushSubscriptionFields {
  endpoint: string;
  p256dh: string;
  auth: string;
  userAgent: string | null;
}

/** Web push subscriptions. An endpoint is one browser profile's, so it is unique across accounts. */
@Injectable()
export class PushSubscriptionRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Upserts by endpoint: a browser profile now used by this account moves its subscription here. */
  async save(scope: AccountScope, fields: PushSubscriptionFields): Promise<PushSubscriptionRow> {
    const data = { ...fields, ...byAccount(scope) };
    return this.prisma.pushSubscription.upsert({ where: { endpoint: fields.endpoint }, create: data, update: data });
  }

  async list(scope: AccountScope): Promise<PushSubscriptionRow[]> {
    return this.prisma.pushSubscription.findMany({ where: byAccount(scope), orderBy: { createdAt: 'asc' } });
  }

  /** False when the account has no such subscription. */
  async delete(scope: AccountScope, id: string): Promise<boolean> {
    const { count } = await this.prisma.pushSubscription.deleteMany({ where: { id, ...byAccount(scope) } });
    return count > 0;
  }

  /**
   * Replaces the subscription at `oldEndpoint` with `replacement` for the same account, in one transaction, when
   * `proves(old)` accepts it (the browser's auth secret); null otherwise or when there is none.
   */
  async replace(
    scope: SystemScope,
    oldEndpoint: string,
    proves: (old: PushSubscriptionRow) => boolean,
    replacement: (old: PushSubscriptionRow) => PushSubscriptionFields,
  ): Promise<PushSubscriptionRow | null> {
    assertScope(scope);
    return this.prisma.$transaction(async (tx) => {
      const old = await tx.pushSubscription.findUnique({ where: { endpoint: oldEndpoint } });
      if (old === null || !proves(old)) return null;
      const data = { ...replacement(old), userId: old.userId };
      if (data.endpoint !== old.endpoint) await tx.pushSubscription.delete({ where: { id: old.id } });
      return tx.pushSubscription.upsert({ where: { endpoint: data.endpoint }, create: data, update: data });
    });
  }
}

function byAccount(scope: AccountScope): { userId: string } {
  return scopeWhere(scope, ACCOUNT_SCOPE);
}
