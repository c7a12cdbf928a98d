import { Module } from '@nestjs/common';
import { AuthController } from './auth.controller.js';
import { RateLimitModule } from '../rate-limit/rate-limit.module.js';
import { AccountRepository } from './account.repository.js';
import { AuthService } from './auth.service.js';
import { LoginThrottleService } from './login-throttle.service.js';

@Module({
  imports: [RateLimitModule],
  controllers: [AuthController],
  providers: [AuthService, LoginThrottleService, AccountRepository],
  exports: [AccountRepository],
})
export class AuthModule {}
