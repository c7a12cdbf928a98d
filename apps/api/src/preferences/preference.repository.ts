import { Injectable } from '@nestjs/common';
import { type Prisma, PrismaService } from '#app/database';
import { ACCOUNT_SCOPE, type AccountScope, scopeWhere } from '../common/vehicle-scope.model.js';

export type PreferenceRow = Prisma.NotificationPreferenceGetPayload<object>;
export type PreferenceFields = Omit<Prisma.NotificationPreferenceUncheckedCreateInput, 'userId' | 'id' | 'createdAt' | 'updatedAt'>;

/** One account's notification preferences (at most one row per user). */
@Injectable()
export class PreferenceRepository {
  constructor(private readonly prisma: PrismaService) {}

  async find(scope: AccountScope): Promise<PreferenceRow | null> {
    return this.prisma.notificationPreference.findUnique({ where: byAccount(scope) });
  }

  async save(scope: AccountScope, fields: PreferenceFields): Promise<PreferenceRow> {
    const where = byAccount(scope);
    return this.prisma.notificationPreference.upsert({ where, create: { ...fields, userId: where.userId }, update: fields });
  }
}

function byAccount(scope: AccountScope): { userId: string } {
  return scopeWhere(scope, ACCOUNT_SCOPE);
}
