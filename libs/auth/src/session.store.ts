import type { AccessTokenClaims, RequestUser } from './request-user.model.js';

/**
 * The accounts as they are now, behind every token check: a signature only proves what was true at sign-in.
 * Implemented by the app on its database (this lib does not depend on it) and handed to AuthCoreModule.forRoot.
 */
export abstract class SessionStore {
  /**
   * The caller the token stands for now, or null when it stands for no one any more: the user is unknown
   * (deleted, or never existed) or their role or service center is not the one the token was issued for.
   */
  abstract resolve(claims: AccessTokenClaims): Promise<RequestUser | null>;
}
