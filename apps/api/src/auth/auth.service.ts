import { Inject, Injectable } from '@nestjs/common';
import {
  AuthenticationService,
  generateInitialPassword,
  hashPassword,
  InvalidAccessTokenError,
  passwordWeakness,
  type RequestUser,
  verifyPassword,
} from '#app/auth';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { accountScopeOf, systemScope } from '../common/vehicle-scope.model.js';
import { AccountRepository } from './account.repository.js';
import { InvalidCredentialsError } from './invalid-credentials.error.js';
import { LoginThrottleService } from './login-throttle.service.js';
import type { ChangePasswordRequest, LoginRequest, LoginResponse } from './login.schema.js';
import { WeakPasswordError } from './weak-password.error.js';
import { WrongCurrentPasswordError } from './wrong-current-password.error.js';

@Injectable()
export class AuthService {
  // Compared against when the e-mail is unknown, so both failures take one bcrypt round.
  private readonly decoyHash = hashPassword(generateInitialPassword());

  constructor(
    private readonly accounts: AccountRepository,
    private readonly authentication: AuthenticationService,
    private readonly throttle: LoginThrottleService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login({ email, password }: LoginRequest, clientIp: string | undefined): Promise<LoginResponse> {
    // Before the lookup and bcrypt: a locked account tells a guesser nothing and costs no CPU.
    const attempt = await this.throttle.begin(email, clientIp);
    const user = await this.accounts.findByEmail(systemScope('sign-in looks the account up before knowing who it is'), email);
    const matches = await verifyPassword(password, user?.passwordHash ?? (await this.decoyHash));
    if (!user || !matches) throw new InvalidCredentialsError();
    await this.throttle.succeeded(attempt);

    const { accessToken } = await this.authentication.signIn({ userId: user.id, role: user.role, serviceCenterId: user.serviceCenterId });
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.config.api.jwtTtlSeconds,
      user: { id: user.id, email: user.email, role: user.role, name: user.name, serviceCenterId: user.serviceCenterId },
    };
  }

  /**
   * Counted like a login on the account (and the address): a stolen session cannot be used to guess the
   * password at API speed, and a locked account answers 429 here too. Every other session of the user
   * ends (a stolen token among them); the one that made the change stays signed in.
   */
  async changePassword(user: RequestUser, { currentPassword, newPassword }: ChangePasswordRequest, clientIp: string | undefined): Promise<void> {
    // Gone since the guard last looked (it trusts a look for SESSION_RECHECK_MS): the session is over.
    const account = await this.accounts.find(accountScopeOf(user));
    if (!account) throw new InvalidAccessTokenError('the account no longer exists');
    // Before the attempt is counted: a weak choice is the owner's typo to fix, not a guess at the current one.
    const weakness = passwordWeakness(newPassword, account);
    if (weakness) throw new WeakPasswordError('newPassword', weakness);
    const attempt = await this.throttle.begin(account.email, clientIp);
    if (!(await verifyPassword(currentPassword, account.passwordHash))) throw new WrongCurrentPasswordError();
    await this.throttle.succeeded(attempt);
    await this.accounts.setPasswordHash(accountScopeOf(user), await hashPassword(newPassword));
    await this.authentication.endOtherSessions(user);
  }

  /** Ends the caller's session: its token is refused from now on, on this replica at once. */
  logout(user: RequestUser): Promise<void> {
    return this.authentication.signOut(user);
  }
}
