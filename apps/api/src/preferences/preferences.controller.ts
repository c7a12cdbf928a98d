import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type RequestUser } from '#app/auth';
import { ApiZodBody } from '../common/zod-openapi.decorator.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import type { PreferenceView, UpdatedPreferenceView } from './preference.model.js';
import { type UpdatePreferenceRequest, updatePreferenceSchema } from './preference.schema.js';
import { PreferencesService } from './preferences.service.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('me/preferences')
export class PreferencesController {
  constructor(private readonly preferences: PreferencesService) {}

  @Get()
  @ApiOperation({ summary: 'How and when the caller is notified (the webhook secret is never shown)' })
  get(@CurrentUser() user: RequestUser): Promise<PreferenceView> {
    return this.preferences.get(user);
  }

  @Put()
  @ApiOperation({ summary: 'Replace the notification preferences; a generated webhook secret is returned once' })
  @ApiZodBody(updatePreferenceSchema)
  update(
    @CurrentUser() user: RequestUser,
    @Body(new ZodValidationPipe(updatePreferenceSchema)) body: UpdatePreferenceRequest,
  ): Promise<UpdatedPreferenceView> {
    return this.preferences.update(user, body);
  }
}
