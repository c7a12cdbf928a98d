import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { AccessTokenService } from './access-token.service.js';
import { AuthenticationService } from './authentication.service.js';
import { Public, Roles } from './auth.decorator.js';
import { InsufficientRoleError } from './insufficient-role.error.js';
import { InvalidAccessTokenError } from './invalid-access-token.error.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import type { AccessTokenClaims, RequestUser } from './request-user.model.js';
import { SessionStore } from './session.store.js';

const SECRET = 'a-test-secret-of-enough-length';

class Routes {
  @Public()
  open(): void {}

  anyUser(): void {}

  @Roles('STAFF', 'ADMIN')
  staffOnly(): void {}
}

function contextFor(handler: keyof Routes, authorization?: string) {
  const request: { headers: Record<string, string | undefined>; user?: RequestUser } = {
    headers: { authorization },
  };
  const context = {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { context, request };
}

const aUser = (overrides: Partial<RequestUser> = {}): RequestUser => ({
  userId: '0b8f6c1e-3f0e-4c5a-9d57-1a2b3c4d5e6f',
  role: 'OWNER',
  serviceCenterId: null,
  ...overrides,
});

/** The accounts as a map: the database-backed store is tested end to end under test/api-auth. */
class InMemorySessionStore extends SessionStore {
  readonly users = new Map<string, RequestUser>();

  resolve(claims: AccessTokenClaims): Promise<RequestUser | null> {
    const user = this.users.get(claims.sub);
    return Promise.resolve(user && user.role === claims.role && user.serviceCenterId === claims.sc ? user : null);
  }
}

describe(JwtAuthGuard.name, () => {
  const tokens = new AccessTokenService(new JwtService({ secret: SECRET, signOptions: { expiresIn: 60 } }));
  const store = new InMemorySessionStore();
  const sut = new JwtAuthGuard(new Reflector(), new AuthenticationService(tokens, store));
  const known = (user: RequestUser): RequestUser => (store.users.set(user.userId, user), user);

  it('lets @Public() routes through without a token', async () => {
    await expect(sut.canActivate(contextFor('open').context)).resolves.toBe(true);
  });

  it('attaches the caller from a valid bearer token', async () => {
    const user = known(aUser({ userId: '0b8f6c1e-0000-4c5a-9d57-000000000002', role: 'STAFF', serviceCenterId: '5d2a1c3b-0000-4000-8000-000000000001' }));
    const { context, request } = contextFor('anyUser', `Bearer ${await tokens.issue(user)}`);

    await expect(sut.canActivate(context)).resolves.toBe(true);
    expect(request.user).toEqual(user);
  });

  it('refuses a missing header, a token signed with another secret and an expired token', async () => {
    const foreign = await new JwtService({ secret: 'another-secret-of-enough-length' }).signAsync({ sub: 'x', role: 'ADMIN', sc: null });
    const expired = await new JwtService({ secret: SECRET }).signAsync({ sub: 'x', role: 'OWNER', sc: null, exp: 1 });

    for (const header of [undefined, `Bearer ${foreign}`, `Bearer ${expired}`, 'Basic abc']) {
      await expect(sut.canActivate(contextFor('anyUser', header).context)).rejects.toBeInstanceOf(InvalidAccessTokenError);
    }
  });

  it('refuses a well-signed token with an unknown role', async () => {
    const odd = await new JwtService({ secret: SECRET }).signAsync({ sub: 'x', role: 'ROOT', sc: null });

    await expect(sut.canActivate(contextFor('anyUser', `Bearer ${odd}`).context)).rejects.toBeInstanceOf(InvalidAccessTokenError);
  });

  it('refuses a well-signed token of a user the store does not know', async () => {
    const ghost = await tokens.issue(aUser({ userId: '0b8f6c1e-0000-4c5a-9d57-00000000dead' }));
    await expect(sut.canActivate(contextFor('anyUser', `Bearer ${ghost}`).context)).rejects.toBeInstanceOf(InvalidAccessTokenError);
  });

  it('enforces @Roles()', async () => {
    const owner = await tokens.issue(known(aUser()));
    const admin = await tokens.issue(known(aUser({ userId: '0b8f6c1e-0000-4c5a-9d57-000000000003', role: 'ADMIN', serviceCenterId: '5d2a1c3b-0000-4000-8000-000000000001' })));

    await expect(sut.canActivate(contextFor('staffOnly', `Bearer ${owner}`).context)).rejects.toBeInstanceOf(InsufficientRoleError);
    await expect(sut.canActivate(contextFor('staffOnly', `Bearer ${admin}`).context)).resolves.toBe(true);
  });
});
