import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type RequestUser } from '#app/auth';
import { ApiZodQuery } from '../common/zod-openapi.decorator.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { vinSchema } from '../vehicles/vin.schema.js';
import type { RejectedMessageView, TelemetryResponse } from './telemetry.model.js';
import { type RejectedQuery, rejectedQuerySchema, type TelemetryQuery, telemetryQueryFields, telemetryQuerySchema } from './telemetry.schema.js';
import { TelemetryService } from './telemetry.service.js';

@ApiTags('telemetry')
@ApiBearerAuth()
@Controller('vehicles/:vin')
export class TelemetryController {
  constructor(private readonly telemetry: TelemetryService) {}

  @Get('telemetry')
  @ApiOperation({ summary: 'Raw samples (default: last 24 h) or, with `bucket`, avg/min/max per time bucket' })
  @ApiZodQuery(telemetryQueryFields)
  query(
    @CurrentUser() user: RequestUser,
    @Param('vin', new ZodValidationPipe(vinSchema)) vin: string,
    @Query(new ZodValidationPipe(telemetryQuerySchema)) query: TelemetryQuery,
  ): Promise<TelemetryResponse> {
    return this.telemetry.query(user, vin, query);
  }

  @Get('rejected')
  @ApiOperation({ summary: 'Messages from this vehicle that ingestion refused, with the reason, newest first' })
  @ApiZodQuery(rejectedQuerySchema)
  rejected(
    @CurrentUser() user: RequestUser,
    @Param('vin', new ZodValidationPipe(vinSchema)) vin: string,
    @Query(new ZodValidationPipe(rejectedQuerySchema)) query: RejectedQuery,
  ): Promise<{ vin: string; items: RejectedMessageView[] }> {
    return this.telemetry.rejected(user, vin, query);
  }
}
