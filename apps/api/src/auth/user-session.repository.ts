import { Injectable } from '@nestjs/common';
import { type AccessTokenClaims, type RequestUser, SessionStore, type SignInAccount } from '#app/auth';
import { PrismaService } from '#app/database';

// A well-signed token whose ids are not UUIDs (an old or hand-made token) must not reach Postgres's uuid
// parser, which would answer with an error (a 500) instead of "no such session".
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * SessionStore on the user_sessions and users tables. Looked up by the session id the signed token carries:
 * the token is what establishes the caller, so there is no scope yet to pass (libs/auth's guard calls this).
 */
@Injectable()
export class UserSessionRepository extends SessionStore {
  constructor(private readonly prisma: PrismaService) {
    super();
  }

  async open(account: SignInAccount, expiresAt: Date): Promise<string> {
    const [, session] = await this.prisma.$transaction([
      // Pruned here rather than by a sweep: a user's expired rows go at their next sign-in, so the table
      // holds about one row per live token plus one per user.
      this.prisma.userSession.deleteMany({ where: { userId: account.userId, expiresAt: { lt: new Date() } } }),
      this.prisma.userSession.create({ data: { userId: account.userId, expiresAt }, select: { id: true } }),
    ]);
    return session.id;
  }

  async resolve(claims: AccessTokenClaims): Promise<RequestUser | null> {
    if (!UUID.test(claims.sid) || !UUID.test(claims.sub)) return null;
    const session = await this.prisma.userSession.findUnique({
      where: { id: claims.sid },
      select: { userId: true, expiresAt: true, user: { select: { role: true, serviceCenterId: true } } },
    });
    if (!session || session.userId !== claims.sub || session.expiresAt <= new Date()) return null;
    // A role or center other than the token's: the token's rights are not the account's any more.
    if (session.user.role !== claims.role || session.user.serviceCenterId !== claims.sc) return null;
    return { userId: session.userId, role: session.user.role, serviceCenterId: session.user.serviceCenterId, sessionId: claims.sid };
  }

  async close(sessionId: string): Promise<void> {
    await this.prisma.userSession.deleteMany({ where: { id: sessionId } });
  }

  async closeOthers(userId: string, keepSessionId: string): Promise<string[]> {
    const ended = await this.prisma.$queryRaw<{ id: string }[]>`
      DELETE FROM user_sessions WHERE "userId" = ${userId}::uuid AND id <> ${keepSessionId}::uuid RETURNING id::text AS id`;
    return ended.map((row) => row.id);
  }
}
