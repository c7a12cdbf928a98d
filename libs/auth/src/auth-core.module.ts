import { createSecretKey } from 'node:crypto';
import { type DynamicModule, Global, Module, type Type } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, type HttpConfig } from '#app/config';
import { AccessTokenService } from './access-token.service.js';
import { AuthenticationService } from './authentication.service.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { SessionStore } from './session.store.js';

export interface AuthCoreOptions {
  /** The app's SessionStore on its database (its own dependencies must be global, e.g. PrismaService). */
  sessionStore: Type<SessionStore>;
}

/**
 * Token issuing/checking and the guard, configured from AppConfig. Registered once, globally, with
 * `AuthCoreModule.forRoot(...)`; the app then registers the guard with `{ provide: APP_GUARD, useExisting: JwtAuthGuard }`.
 */
@Global()
@Module({})
export class AuthCoreModule {
  static forRoot(options: AuthCoreOptions): DynamicModule {
    return {
      module: AuthCoreModule,
      imports: [
        JwtModule.registerAsync({
          inject: [APP_CONFIG],
          useFactory: (config: HttpConfig) => ({
            // A key object made once: given the string, jsonwebtoken tries it as a public key on every verify (a
            // failed PEM parse and an exception, 1.6 ms of the API thread per request in `npm run bench:api -- --fleet`)
            // before making the same secret key from it. Same bytes, so tokens signed either way stay valid.
            secret: createSecretKey(Buffer.from(config.api.jwtSecret)),
            signOptions: { expiresIn: config.api.jwtTtlSeconds, algorithm: 'HS256' },
            verifyOptions: { algorithms: ['HS256'] },
          }),
        }),
      ],
      providers: [AccessTokenService, AuthenticationService, JwtAuthGuard, { provide: SessionStore, useClass: options.sessionStore }],
      exports: [AccessTokenService, AuthenticationService, JwtAuthGuard, SessionStore],
    };
  }
}
