import { Module } from '@nestjs/common';
import { AuthCoreModule } from '#app/auth';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';

@Module({ imports: [AuthCoreModule], controllers: [AuthController], providers: [AuthService] })
export class AuthModule {}
