import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { AccessTokenService } from './access-token.service.js';
import { InvalidAccessTokenError } from './invalid-access-token.error.js';
import type { RequestUser } from './request-user.model.js';

const SECRET = 'access-token-service-spec-secret-0123456789';

const aUser = (): RequestUser => ({ userId: randomUUID(), role: 'STAFF', serviceCenterId: randomUUID(), sessionId: randomUUID() });

describe(AccessTokenService.name, () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  const setUp = () => {
    const jwt = new JwtService({ secret: SECRET, signOptions: { expiresIn: 60 } });
    const verifyAsync = jest.spyOn(jwt, 'verifyAsync');
    return { sut: new AccessTokenService(jwt), verifyAsync };
  };

  it('checks a token once and answers its claims again from memory', async () => {
    const { sut, verifyAsync } = setUp();
    const user = aUser();
    const token = await sut.issue(user);
    const claims = { sub: user.userId, role: user.role, sc: user.serviceCenterId, sid: user.sessionId };

    await expect(sut.verify(token)).resolves.toEqual(claims);
    await expect(sut.verify(token)).resolves.toEqual(claims);
    expect(verifyAsync).toHaveBeenCalledTimes(1);
  });

  it('refuses a remembered token from its expiry on, with the same message as an unremembered one', async () => {
    const { sut } = setUp();
    const token = await sut.issue(aUser());
    await sut.verify(token);
    const { exp } = new JwtService({}).decode<{ exp: number }>(token);

    jest.spyOn(Date, 'now').mockReturnValue(exp * 1000 - 1);
    await expect(sut.verify(token)).resolves.toBeDefined();
    jest.spyOn(Date, 'now').mockReturnValue(exp * 1000);
    await expect(sut.verify(token)).rejects.toEqual(new InvalidAccessTokenError('jwt expired'));
  });

  it('remembers nothing it refused: a forged token is checked every time', async () => {
    const { sut, verifyAsync } = setUp();
    const token = await sut.issue(aUser());
    // Our header and claims under another secret's signature.
    const foreign = await new AccessTokenService(
      new JwtService({ secret: 'another-secret-of-enough-length-0123456', signOptions: { expiresIn: 60 } }),
    ).issue(aUser());
    const forged = `${token.slice(0, token.lastIndexOf('.'))}${foreign.slice(foreign.lastIndexOf('.'))}`;

    for (let i = 0; i < 2; i += 1) await expect(sut.verify(forged)).rejects.toBeInstanceOf(InvalidAccessTokenError);
    expect(verifyAsync).toHaveBeenCalledTimes(2);
  });
});
