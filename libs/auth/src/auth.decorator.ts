import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { RequestUser, UserRole } from './request-user.model.js';

export const IS_PUBLIC_KEY = 'carhealth:isPublic';
export const ROLES_KEY = 'carhealth:roles';

/** Opens a route (or controller) to unauthenticated callers: login, health, metrics. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/** Restricts a route (or controller) to these roles; without it any authenticated user passes. */
export const Roles = (...roles: UserRole[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/** Request as the guard leaves it. */
export interface AuthenticatedRequest {
  user?: RequestUser;
  method?: string;
  headers: Record<string, string | string[] | undefined>;
}

/** The authenticated caller (set by JwtAuthGuard). */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): RequestUser => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
  // Only reachable on a @Public() route, where asking for the user is a programming error.
  if (!user) throw new Error('@CurrentUser() used on a route without authentication');
  return user;
});
