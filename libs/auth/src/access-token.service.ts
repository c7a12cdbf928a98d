import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ExpiringCache } from './expiring-cache.js';
import { InvalidAccessTokenError } from './invalid-access-token.error.js';
import { type AccessTokenClaims, type RequestUser, USER_ROLES } from './request-user.model.js';

/**
 * How long one process remembers that a token string checked out: a client sends the same token with every request
 * until it expires, and re-checking the same bytes against the same secret gives the same answer. What is remembered
 * is the signature and shape check only: the token's own expiry is compared on every use (a remembered token is
 * refused from its `exp` on, as jsonwebtoken refuses it), and whether its session still holds is
 * AuthenticationService's question, asked as before. Nothing refused is remembered, so a forged token costs a check
 * every time, as before.
 */
const VERIFIED_TOKEN_TTL_MS = 60_000;

/** Bounds the memory: one entry (the token, ~250 bytes, and its claims) per token used in the last minute. */
const MAX_VERIFIED_TOKENS = 10_000;

/** Issues and checks the API's bearer tokens (HS256 with config.api.jwtSecret, see AuthCoreModule). */
@Injectable()
export class AccessTokenService {
  // The secret is fixed for the life of the process (config is read once), so a verified token stays verified.
  private readonly verified = new ExpiringCache<string, { claims: AccessTokenClaims; expiresAtMs: number }>(
    VERIFIED_TOKEN_TTL_MS,
    MAX_VERIFIED_TOKENS,
  );

  constructor(private readonly jwt: JwtService) {}

  issue(user: RequestUser): Promise<string> {
    const claims: AccessTokenClaims = { sub: user.userId, role: user.role, sc: user.serviceCenterId, sid: user.sessionId };
    return this.jwt.signAsync(claims);
  }

  /** The token's claims once its signature, expiry and shape check out; whether they still hold is AuthenticationService's question. */
  async verify(token: string): Promise<AccessTokenClaims> {
    const known = this.verified.get(token);
    // jsonwebtoken's own rule: expired once the clock's whole seconds reach `exp`. Past it, the full check below
    // refuses the token with jsonwebtoken's message.
    if (known !== undefined && Date.now() < known.expiresAtMs) return known.claims;
    let claims: Partial<AccessTokenClaims> & { exp?: number };
    try {
      claims = await this.jwt.verifyAsync<Partial<AccessTokenClaims> & { exp?: number }>(token);
    } catch (error) {
      this.verified.delete(token);
      throw new InvalidAccessTokenError((error as Error).message);
    }
    // A token signed with our secret but a different shape (an older version) is refused, not trusted.
    // A token without a session (issued before sessions existed) cannot be ended by logging out: refused too.
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || claims.role === undefined || !USER_ROLES.includes(claims.role)) {
      throw new InvalidAccessTokenError('unexpected claims');
    }
    const verified: AccessTokenClaims = { sub: claims.sub, role: claims.role, sc: typeof claims.sc === 'string' ? claims.sc : null, sid: claims.sid };
    // Our tokens always carry `exp` (signOptions.expiresIn); one without it is valid to jsonwebtoken and is remembered for the TTL only.
    this.verified.set(token, { claims: verified, expiresAtMs: typeof claims.exp === 'number' ? claims.exp * 1000 : Number.POSITIVE_INFINITY });
    return verified;
  }
}
