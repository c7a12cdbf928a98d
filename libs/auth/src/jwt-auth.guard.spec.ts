import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { AccessTokenService } from './access-token.service.js';
import { Public, Roles } from './auth.decorator.js';
import { InsufficientRoleError } from './insufficient-role.error.js';
import { InvalidAccessTokenError } from './invalid-access-token.error.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import type { RequestUser } from './request-user.model.js';

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

describe(JwtAuthGuard.name, () => {
  const tokens = new AccessTokenService(new JwtService({ secret: SECRET, signOptions: { expiresIn: 60 } }));
  const sut = new JwtAuthGuard(new Reflector(), tokens);

  it('lets @Public() routes through without a token', async () => {
    await expect(sut.canActivate(contextFor('open').context)).resolves.toBe(true);
  });

  it('attaches the caller from a valid bearer token', async () => {
    const user = aUser({ role: 'STAFF', serviceCenterId: '5d2a1c3b-0000-4000-8000-000000000001' });
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

  it('enforces @Roles()', async () => {
    const owner = await tokens.issue(aUser());
    const admin = await tokens.issue(aUser({ role: 'ADMIN', serviceCenterId: '5d2a1c3b-0000-4000-8000-000000000001' }));

    await expect(sut.canActivate(contextFor('staffOnly', `Bearer ${owner}`).context)).rejects.toBeInstanceOf(InsufficientRoleError);
    await expect(sut.canActivate(contextFor('staffOnly', `Bearer ${admin}`).context)).resolves.toBe(true);
  });
});
