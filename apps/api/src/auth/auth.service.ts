import { Inject, Injectable } from '@nestjs/common';
import { AccessTokenService, generateInitialPassword, hashPassword, verifyPassword } from '#app/auth';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { PrismaService } from '#app/database';
import { InvalidCredentialsError } from './invalid-credentials.error.js';
import type { LoginRequest, LoginResponse } from './login.schema.js';

@Injectable()
export class AuthService {
  // Compared against when the e-mail is unknown, so both failures take one bcrypt round.
  private readonly decoyHash = hashPassword(generateInitialPassword());

  constructor(
    private readonly prisma: PrismaService,
    private readonly tokens: AccessTokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login({ email, password }: LoginRequest): Promise<LoginResponse> {
    const user = await this.prisma.user.findUnique({ where: { email } });
    const matches = await verifyPassword(password, user?.passwordHash ?? (await this.decoyHash));
    if (!user || !matches) throw new InvalidCredentialsError();

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
