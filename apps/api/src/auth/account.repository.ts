import { Injectable } from '@nestjs/common';
import { PrismaService, type UserRole } from '#app/database';
import { assertScope, type AccountScope, type SystemScope } from '../common/vehicle-scope.model.js';

export interface Account {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  serviceCenterId: string | null;
  passwordHash: string;
}

/** User accounts. Reading one by e-mail crosses tenants (sign-in, owner look-up), so those take a SystemScope. */
@Injectable()
export class AccountRepository {
  constructor(private readonly prisma: PrismaService) {}

  async findByEmail(scope: SystemScope, email: string): Promise<Account | null> {
    assertScope(scope);
    return this.prisma.user.findUnique({ where: { email }, select: ACCOUNT_FIELDS });
  }

  async find(scope: AccountScope): Promise<Account | null> {
    assertScope(scope);
    return this.prisma.user.findUnique({ where: { id: scope.userId }, select: ACCOUNT_FIELDS });
  }

  async setPasswordHash(scope: AccountScope, passwordHash: string): Promise<void> {
    assertScope(scope);
    await this.prisma.user.update({ where: { id: scope.userId }, data: { passwordHash } });
  }
}

const ACCOUNT_FIELDS = { id: true, email: true, name: true, role: true, serviceCenterId: true, passwordHash: true } as const;
