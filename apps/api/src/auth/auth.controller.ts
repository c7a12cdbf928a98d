import { Body, Controller, HttpCode, HttpStatus, Ip, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public, type RequestUser } from '#app/auth';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { ApiZodBody } from '../common/zod-openapi.decorator.js';
import { AuthService } from './auth.service.js';
import { type ChangePasswordRequest, changePasswordSchema, type LoginRequest, type LoginResponse, loginSchema } from './login.schema.js';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('auth/login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange e-mail and password for a bearer token' })
  @ApiZodBody(loginSchema)
  login(@Body(new ZodValidationPipe(loginSchema)) body: LoginRequest, @Ip() clientIp: string | undefined): Promise<LoginResponse> {
    return this.auth.login(body, clientIp);
  }

  @Post('auth/logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: "End the caller's session: its token is refused from then on (other sign-ins stay)" })
  logout(@CurrentUser() user: RequestUser): Promise<void> {
    return this.auth.logout(user);
  }

  @Post('me/password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: "Change the caller's password (the current one is required); 403 when it is wrong, 429 when locked" })
  @ApiZodBody(changePasswordSchema)
  changePassword(
    @CurrentUser() user: RequestUser,
    @Body(new ZodValidationPipe(changePasswordSchema)) body: ChangePasswordRequest,
    @Ip() clientIp: string | undefined,
  ): Promise<void> {
    return this.auth.changePassword(user, body, clientIp);
  }
}
