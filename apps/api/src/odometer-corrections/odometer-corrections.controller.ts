import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type RequestUser, Roles } from '#app/auth';
import { ApiZodBody } from '../common/zod-openapi.decorator.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { vinSchema } from '../vehicles/vin.schema.js';
import type { CreatedOdometerCorrectionView, OdometerCorrectionView } from './odometer-correction.model.js';
import { type CreateOdometerCorrectionRequest, createOdometerCorrectionSchema } from './odometer-correction.schema.js';
import { OdometerCorrectionsService } from './odometer-corrections.service.js';

/** Confirmed odometer changes; staff of the vehicle's service center only (an owner could hide distance). */
@ApiTags('odometer corrections')
@ApiBearerAuth()
@Roles('STAFF', 'ADMIN')
@Controller('vehicles/:vin/odometer-corrections')
export class OdometerCorrectionsController {
  constructor(private readonly corrections: OdometerCorrectionsService) {}

  @Post()
  @ApiOperation({
    summary: 'Confirm a real odometer change (instrument cluster replaced): the new reading becomes the baseline; the vehicle is rescored',
  })
  @ApiZodBody(createOdometerCorrectionSchema)
  confirm(
    @CurrentUser() user: RequestUser,
    @Param('vin', new ZodValidationPipe(vinSchema)) vin: string,
    @Body(new ZodValidationPipe(createOdometerCorrectionSchema)) body: CreateOdometerCorrectionRequest,
  ): Promise<CreatedOdometerCorrectionView> {
    return this.corrections.confirm(user, vin, body);
  }

  @Get()
  @ApiOperation({ summary: "The vehicle's confirmed odometer changes, newest first" })
  list(
    @CurrentUser() user: RequestUser,
    @Param('vin', new ZodValidationPipe(vinSchema)) vin: string,
  ): Promise<{ vin: string; items: OdometerCorrectionView[] }> {
    return this.corrections.list(user, vin);
  }
}
