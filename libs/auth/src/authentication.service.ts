import { Injectable } from '@nestjs/common';
import { AccessTokenService } from './access-token.service.js';
import { ExpiringCache } from './expiring-cache.js';
import { InvalidAccessTokenError } from './invalid-access-token.error.js';
import type { RequestUser } from './request-user.model.js';
import { SessionStore } from './session.store.js';

/**
 * How long one API process trusts its last look at an account: a deleted user's (or a changed role's)
 * token is refused at most this long after the change, on every replica, for one query per caller per
 * interval instead of one per request.
 */
export const SESSION_RECHECK_MS = 5_000;

/** Bounds the cache: one entry per token seen in the last SESSION_RECHECK_MS. */
const MAX_CACHED_TOKENS = 50_000;

/** A bearer token to the caller it stands for now: signature and expiry, then the account as it is. */
@Injectable()
export class AuthenticationService {
  // Keyed by the whole token: its claims are what the store's answer depends on. Refusals are cached too,
  // so replaying a dead token costs no query.
  private readonly recent = new ExpiringCache<string, RequestUser | null>(SESSION_RECHECK_MS, MAX_CACHED_TOKENS);

  constructor(
    private readonly tokens: AccessTokenService,
    private readonly sessions: SessionStore,
  ) {}

  async authenticate(token: string): Promise<RequestUser> {
    // Signature and expiry on every request (cheap, and a cached answer must not outlive the token).
    const claims = await this.tokens.verify(token);
    let user = this.recent.get(token);
    if (user === undefined) {
      user = await this.sessions.resolve(claims);
      this.recent.set(token, user);
    }
    if (user === null) throw new InvalidAccessTokenError('this sign-in is no longer valid; sign in again');
    return user;
  }
}
