import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type HttpConfig } from '#app/config';
import { AccessTokenService } from './access-token.service.js';
import { ExpiringCache } from './expiring-cache.js';
import { InvalidAccessTokenError } from './invalid-access-token.error.js';
import type { AccessTokenClaims, RequestUser, SignInAccount } from './request-user.model.js';
import { SessionStore } from './session.store.js';

/**
 * How long one API process trusts its last look at a session for a read: a token is refused at most this
 * long after its user is deleted or changes role, or (on another replica) after it is logged out, for one
 * query per session per interval instead of one per request. Writes always look (see authenticate), and
 * this process forgets a session it ends itself at once.
 */
export const SESSION_RECHECK_MS = 5_000;

/** Bounds the cache: one entry per session seen in the last SESSION_RECHECK_MS. */
const MAX_CACHED_SESSIONS = 50_000;

/** Sign-in, sign-out and the per-request check of a bearer token against its session. */
@Injectable()
export class AuthenticationService {
  // Keyed by session id (one token per session). Refusals are cached too, so replaying a dead token
  // costs no query.
  private readonly recent = new ExpiringCache<string, RequestUser | null>(SESSION_RECHECK_MS, MAX_CACHED_SESSIONS);
  // Reads of a session missing from `recent` that are in flight: the requests of one caller that arrive while its
  // session is looked at (a dashboard's tiles, or 32 in flight under the fleet bench) wait for that lookup instead of
  // each sending the same query when the entry expires. Same answer, no older than a lookup of their own would be.
  private readonly resolving = new Map<string, Promise<RequestUser | null>>();
  /** Lookups in flight when this process ended their session: their answer is not remembered. */
  private readonly ended = new WeakSet<Promise<RequestUser | null>>();
  private readonly ttlMs: number;

  constructor(
    private readonly tokens: AccessTokenService,
    private readonly sessions: SessionStore,
    @Inject(APP_CONFIG) config: HttpConfig,
  ) {
    this.ttlMs = config.api.jwtTtlSeconds * 1000;
  }

  /** Opens a session for the account and returns its token. */
  async signIn(account: SignInAccount): Promise<{ accessToken: string; user: RequestUser }> {
    const sessionId = await this.sessions.open(account, new Date(Date.now() + this.ttlMs));
    const user: RequestUser = { ...account, sessionId };
    return { accessToken: await this.tokens.issue(user), user };
  }

  /**
   * The token to the caller it stands for now: signature and expiry, then its session and account.
   * `fresh` skips the cache: a write (registering a vehicle, provisioning a device) is checked against
   * the database every time, so it is refused at once, not within the recheck interval, and does not
   * reach a foreign key of a user deleted a moment ago.
   */
  async authenticate(token: string, { fresh = false }: { fresh?: boolean } = {}): Promise<RequestUser> {
    // Signature and expiry on every request (cheap, and a cached answer must not outlive the token).
    const claims = await this.tokens.verify(token);
    let user = fresh ? undefined : this.recent.get(claims.sid);
    if (user === undefined) user = await (fresh ? this.lookUp(claims) : (this.resolving.get(claims.sid) ?? this.lookUp(claims)));
    // The cached entry was resolved from this sid's one token, but a forged token could reuse a sid.
    if (user === null || user.userId !== claims.sub || user.role !== claims.role || user.serviceCenterId !== claims.sc) {
      throw new InvalidAccessTokenError('this sign-in has ended (signed out, password or role changed, or account removed); sign in again');
    }
    return user;
  }

  async signOut(user: RequestUser): Promise<void> {
    await this.sessions.close(user.sessionId);
    this.forget(user.sessionId);
  }

  /** After a password change: every other sign-in of the user ends (a stolen token with them). */
  async endOtherSessions(user: RequestUser): Promise<void> {
    for (const sessionId of await this.sessions.closeOthers(user.userId, user.sessionId)) this.forget(sessionId);
  }

  /** Reads the session and remembers the answer, unless the session was ended here while it was read. */
  private lookUp(claims: AccessTokenClaims): Promise<RequestUser | null> {
    const lookup = this.sessions.resolve(claims).finally(() => {
      if (this.resolving.get(claims.sid) === lookup) this.resolving.delete(claims.sid);
    });
    this.resolving.set(claims.sid, lookup);
    // A lookup begun before this process ended the session may have read it still open: not remembered, and requests
    // after the end do not join it (forget).
    void lookup.then(
      (user) => {
        if (!this.ended.has(lookup)) this.recent.set(claims.sid, user);
      },
      () => undefined, // the awaiting request gets the error
    );
    return lookup;
  }

  private forget(sessionId: string): void {
    this.recent.delete(sessionId);
    const inFlight = this.resolving.get(sessionId);
    if (inFlight !== undefined) this.ended.add(inFlight);
    this.resolving.delete(sessionId);
  }
}
