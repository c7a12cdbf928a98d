import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InvalidAccessTokenError } from './invalid-access-token.error.js';
import { type AccessTokenClaims, type RequestUser, USER_ROLES } from './request-user.model.js';

/** Issues and checks the API's bearer tokens (HS256 with config.api.jwtSecret, see AuthCoreModule). */
@Injectable()
export class AccessTokenService {
  constructor(private readonly jwt: JwtService) {}

  issue(user: RequestUser): Promise<string> {
    const claims: AccessTokenClaims = { sub: user.userId, role: user.role, sc: user.serviceCenterId, sid: user.sessionId };
    return this.jwt.signAsync(claims);
  }

  /** The token's claims once its signature, expiry and shape check out; whether they still hold is AuthenticationService's question. */
  async verify(token: string): Promise<AccessTokenClaims> {
    let claims: Partial<AccessTokenClaims>;
    try {
      claims = await this.jwt.verifyAsync<Partial<AccessTokenClaims>>(token);
    } catch (error) {
      throw new InvalidAccessTokenError((error as Error).message);
    }
    // A token signed with our secret but a different shape (an older version) is refused, not trusted.
    // A token without a session (issued before sessions existed) cannot be ended by logging out: refused too.
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || claims.role === undefined || !USER_ROLES.includes(claims.role)) {
      throw new InvalidAccessTokenError('unexpected claims');
    }
    return { sub: claims.sub, role: claims.role, sc: typeof claims.sc === 'string' ? claims.sc : null, sid: claims.sid };
  }
}
