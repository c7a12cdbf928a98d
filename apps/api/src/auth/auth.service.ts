import { Inject, Injectable } from '@nestjs/common';
import { AccessTokenService, generateInitialPassword, hashPassword, verifyPassword } from '#app/auth';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { PrismaService } from '#app/database';
import { InvalidCredentialsError } from './invalid-credentials.error.js';
import { LoginThrottleService } from './login-throttle.service.js';
import type { LoginRequest, LoginResponse } from './login.schema.js';

@Injectable()
export class AuthService {
  // Compared against when the e-mail is unknown, so both failures take one bcrypt round.
  private readonly decoyHash = hashPassword(generateInitialPassword());

  constructor(
    private readonly prisma: PrismaService,
    private readonly tokens: AccessTokenService,
    private readonly throttle: LoginThrottleService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login({ email, password }: LoginRequest, clientIp: string | undefined): Promise<LoginResponse> {
    // Before the lookup and bcrypt: a locked account tells a guesser nothing and costs no CPU.
    const attempt = await this.throttle.begin(email, clientIp);
    const user = await this.prisma.user.findUnique({ where: { email } });
    const matches = await verifyPassword(password, user?.passwordHash ?? (await this.decoyHash));
    if (!user || !matches) throw new InvalidCredentialsError();
    await this.throttle.succeeded(attempt);

    const accessToken = await this.tokens.issue({
      userId: user.id,
      role: user.role,
      serviceCenterId: user.serviceCenterId,
    });
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.config.api.jwtTtlSeconds,
      user: { id: user.id, email: user.email, role: user.role, name: user.name, serviceCenterId: user.serviceCenterId },
    };
  }
}
