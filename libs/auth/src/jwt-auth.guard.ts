import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticationService } from './authentication.service.js';
import { InsufficientRoleError } from './insufficient-role.error.js';
import { InvalidAccessTokenError } from './invalid-access-token.error.js';
import { type AuthenticatedRequest, IS_PUBLIC_KEY, ROLES_KEY } from './auth.decorator.js';
import type { UserRole } from './request-user.model.js';

/**
 * Meant as a global guard (APP_GUARD): every route needs a valid bearer token unless marked
 * @Public(), so a new controller is closed by default. Also enforces @Roles().
 */
const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authentication: AuthenticationService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new InvalidAccessTokenError('missing Authorization: Bearer <token> header');
    // Reads may use a session looked at in the last few seconds; anything that changes data may not.
    const user = await this.authentication.authenticate(match[1], { fresh: !READ_METHODS.has(request.method ?? 'GET') });
    request.user = user;

    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role)) throw new InsufficientRoleError(roles);
    return true;
  }
}
