import { randomUUID } from 'node:crypto';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { loadApiConfig } from '#app/config';
import { AccessTokenService } from './access-token.service.js';
import { AuthenticationService } from './authentication.service.js';
import { Public, Roles } from './auth.decorator.js';
import { InsufficientRoleError } from './insufficient-role.error.js';
import { InvalidAccessTokenError } from './invalid-access-token.error.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import type { AccessTokenClaims, RequestUser, SignInAccount } from './request-user.model.js';
import { SessionStore } from './session.store.js';

const SECRET = 'jwt-auth-guard-spec-secret-0123456789abcdef';

class Routes {
  @Public()
  open(): void {}

  anyUser(): void {}

  @Roles('STAFF', 'ADMIN')
  staffOnly(): void {}
}

function contextFor(handler: keyof Routes, authorization?: string, method = 'GET') {
  const request: { headers: Record<string, string | undefined>; method: string; user?: RequestUser } = {
    headers: { authorization },
    method,
  };
  const context = {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { context, request };
}

const anAccount = (overrides: Partial<SignInAccount> = {}): SignInAccount => ({
  userId: randomUUID(),
  role: 'OWNER',
  serviceCenterId: null,
  ...overrides,
});

/** Sessions in a map: the database-backed store is tested end to end in test/api-auth. */
class InMemorySessionStore extends SessionStore {
  readonly sessions = new Map<string, RequestUser>();

  open(account: SignInAccount): Promise<string> {
    const sessionId = randomUUID();
    this.sessions.set(sessionId, { ...account, sessionId });
    return Promise.resolve(sessionId);
  }

  resolve(claims: AccessTokenClaims): Promise<RequestUser | null> {
    const user = this.sessions.get(claims.sid);
    return Promise.resolve(user && user.userId === claims.sub && user.role === claims.role && user.serviceCenterId === claims.sc ? user : null);
  }

  close(sessionId: string): Promise<void> {
    this.sessions.delete(sessionId);
    return Promise.resolve();
  }

  closeOthers(userId: string, keepSessionId: string): Promise<string[]> {
    const ended = [...this.sessions.values()]
      .filter((user) => user.userId === userId && user.sessionId !== keepSessionId)
      .map((user) => user.sessionId);
    for (const sessionId of ended) this.sessions.delete(sessionId);
    return Promise.resolve(ended);
  }
}

describe(JwtAuthGuard.name, () => {
  const tokens = new AccessTokenService(new JwtService({ secret: SECRET, signOptions: { expiresIn: 60 } }));
  const store = new InMemorySessionStore();
  const authentication = new AuthenticationService(
    tokens,
    store,
    loadApiConfig({ DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db', JWT_SECRET: SECRET }),
  );
  const sut = new JwtAuthGuard(new Reflector(), authentication);
  const signIn = (overrides: Partial<SignInAccount> = {}) => authentication.signIn(anAccount(overrides));

  it('lets @Public() routes through without a token', async () => {
    await expect(sut.canActivate(contextFor('open').context)).resolves.toBe(true);
  });

  it('attaches the caller from a valid bearer token', async () => {
    const { accessToken, user } = await signIn({ role: 'STAFF', serviceCenterId: '5d2a1c3b-0000-4000-8000-000000000001' });
    const { context, request } = contextFor('anyUser', `Bearer ${accessToken}`);

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

  it('refuses a well-signed token whose session the store does not know, and a token without a session', async () => {
    const ghost = await tokens.issue({ ...anAccount(), sessionId: randomUUID() });
    const sessionless = await new JwtService({ secret: SECRET }).signAsync({ sub: randomUUID(), role: 'OWNER', sc: null });
    for (const token of [ghost, sessionless]) {
      await expect(sut.canActivate(contextFor('anyUser', `Bearer ${token}`).context)).rejects.toBeInstanceOf(InvalidAccessTokenError);
    }
  });

  it('refuses a token once its session is signed out, and the other sessions once the user ends them', async () => {
    const account = anAccount();
    const [first, second, third] = [await authentication.signIn(account), await authentication.signIn(account), await authentication.signIn(account)];
    const allowed = async (token: string) => sut.canActivate(contextFor('anyUser', `Bearer ${token}`).context).catch((error: unknown) => error);

    await expect(allowed(first.accessToken)).resolves.toBe(true);
    await authentication.signOut(first.user);
    await expect(allowed(first.accessToken)).resolves.toBeInstanceOf(InvalidAccessTokenError);

    await expect(allowed(third.accessToken)).resolves.toBe(true);
    await authentication.endOtherSessions(second.user);
    await expect(allowed(third.accessToken)).resolves.toBeInstanceOf(InvalidAccessTokenError);
    await expect(allowed(second.accessToken)).resolves.toBe(true);
  });

  it('lets a read use the session it looked at moments ago, but checks a write against the store every time', async () => {
    const { accessToken, user } = await signIn();
    const attempt = (method: string) =>
      sut.canActivate(contextFor('anyUser', `Bearer ${accessToken}`, method).context).catch((error: unknown) => error);
    await expect(attempt('GET')).resolves.toBe(true);

    store.sessions.delete(user.sessionId); // ended elsewhere (another replica, the database)

    await expect(attempt('GET')).resolves.toBe(true);
    await expect(attempt('POST')).resolves.toBeInstanceOf(InvalidAccessTokenError);
    await expect(attempt('GET')).resolves.toBeInstanceOf(InvalidAccessTokenError);
  });

  it('sends one session lookup for the reads of a session that arrive while it is looked up', async () => {
    const counting = new InMemorySessionStore();
    const fresh = new AuthenticationService(
      tokens,
      counting,
      loadApiConfig({ DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db', JWT_SECRET: SECRET }),
    );
    const { user } = await fresh.signIn(anAccount());
    const token = await tokens.issue(user);
    let lookups = 0;
    const resolve = counting.resolve.bind(counting);
    counting.resolve = (claims) => {
      lookups += 1;
      return resolve(claims);
    };
    const guard = new JwtAuthGuard(new Reflector(), fresh);

    await Promise.all(Array.from({ length: 8 }, () => guard.canActivate(contextFor('anyUser', `Bearer ${token}`).context)));
    expect(lookups).toBe(1);
    // A write still looks for itself.
    await guard.canActivate(contextFor('anyUser', `Bearer ${token}`, 'POST').context);
    expect(lookups).toBe(2);
  });

  it('does not remember a lookup that was in flight when this process ended the session', async () => {
    const slow = new InMemorySessionStore();
    const service = new AuthenticationService(
      tokens,
      slow,
      loadApiConfig({ DATABASE_URL: 'postgresql://u:p@127.0.0.1:5433/db', JWT_SECRET: SECRET }),
    );
    const { accessToken, user } = await service.signIn(anAccount());
    let release: () => void = () => undefined;
    const resolve = slow.resolve.bind(slow);
    slow.resolve = async (claims) => {
      const answer = await resolve(claims); // read while the session is still open...
      await new Promise<void>((done) => (release = done)); // ...and answered after it ended
      return answer;
    };

    const inFlight = service.authenticate(accessToken);
    await new Promise((done) => setImmediate(done));
    await service.signOut(user);
    release();
    await inFlight; // the request that began before the logout may pass

    slow.resolve = resolve;
    await expect(service.authenticate(accessToken)).rejects.toBeInstanceOf(InvalidAccessTokenError);
  });

  it('enforces @Roles()', async () => {
    const { accessToken: owner } = await signIn();
    const { accessToken: admin } = await signIn({ role: 'ADMIN', serviceCenterId: '5d2a1c3b-0000-4000-8000-000000000001' });

    await expect(sut.canActivate(contextFor('staffOnly', `Bearer ${owner}`).context)).rejects.toBeInstanceOf(InsufficientRoleError);
    await expect(sut.canActivate(contextFor('staffOnly', `Bearer ${admin}`).context)).resolves.toBe(true);
  });
});
