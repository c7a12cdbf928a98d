import { Injectable } from '@nestjs/common';
import { type AccessTokenClaims, type RequestUser, SessionStore } from '#app/auth';
import { PrismaService } from '#app/database';

// A well-signed token with a subject that is not a user id (an old or hand-made token) must not reach
// Postgres's uuid parser, which would answer with an error (a 500) instead of "no such user".
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SessionStore on the users table. */
@Injectable()
export class DatabaseSessionStore extends SessionStore {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  async resolve(claims: AccessTokenClaims): Promise<RequestUser | null> {
    if (!UUID.test(claims.sub)) return null;
    const user = await this.prisma.user.findUnique({ where: { id: claims.sub }, select: { id: true, role: true, serviceCenterId: true } });
    // A role or center other than the token's: the token's rights are not the account's any more.
    if (!user || user.role !== claims.role || user.serviceCenterId !== claims.sc) return null;
    return { userId: user.id, role: user.role, serviceCenterId: user.serviceCenterId };
  }
}
