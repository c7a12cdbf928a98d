import type { AccessTokenClaims, RequestUser, SignInAccount } from './request-user.model.js';

/**
 * The sign-ins and accounts as they are now, behind every token check: a signature only proves what was
 * true at sign-in. Implemented by the app on its database (this lib does not depend on it) and handed to
 * AuthCoreModule.forRoot.
 */
export abstract class SessionStore {
  /** Records a sign-in that lasts until `expiresAt` (the token's expiry); returns its id, the token's `sid`. */
  abstract open(account: SignInAccount, expiresAt: Date): Promise<string>;

  /**
   * The caller the token stands for now, or null when it stands for no one any more: the session was
   * ended (logout, password change) or expired, the user is unknown (deleted), or their role or service
   * center is not the one the token was issued for.
   */
  abstract resolve(claims: AccessTokenClaims): Promise<RequestUser | null>;

  /** Ends one session (logging out). */
  abstract close(sessionId: string): Promise<void>;

  /** Ends every session of the user but `keepSessionId`; returns the ids it ended. */
  abstract closeOthers(userId: string, keepSessionId: string): Promise<string[]>;
}
