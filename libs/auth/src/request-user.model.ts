/** Roles as stored on User.role (kept here as literals so this lib does not depend on the database). */
export type UserRole = 'OWNER' | 'STAFF' | 'ADMIN';

export const USER_ROLES: readonly UserRole[] = ['OWNER', 'STAFF', 'ADMIN'];

/** The authenticated caller, as the guard attaches it to the request. */
export interface RequestUser {
  userId: string;
  role: UserRole;
  /** The staff member's service center; null for owners (and for staff not yet assigned). */
  serviceCenterId: string | null;
  /** The sign-in this request belongs to (see SessionStore): what logging out ends. */
  sessionId: string;
}

/** An account about to sign in: a RequestUser before it has a session. */
export type SignInAccount = Omit<RequestUser, 'sessionId'>;

/** Claims inside an access token: short names keep the token small. */
export interface AccessTokenClaims {
  sub: string;
  role: UserRole;
  sc: string | null;
  sid: string;
}
