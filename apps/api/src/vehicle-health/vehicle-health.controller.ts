import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type RequestUser } from '#app/auth';
import { ApiZodQuery } from '../common/zod-openapi.decorator.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { vinSchema } from '../vehicles/vin.schema.js';
import type { HealthHistoryView, VehicleHealthView } from './vehicle-health.model.js';
import { type HealthHistoryQuery, healthHistoryQueryFields, healthHistoryQuerySchema } from './vehicle-health.schema.js';
import { VehicleHealthService } from './vehicle-health.service.js';

@ApiTags('vehicle health')
@ApiBearerAuth()
@Controller('vehicles/:vin/health')
export class VehicleHealthController {
  constructor(private readonly health: VehicleHealthService) {}

  @Get()
  @ApiOperation({
    summary: 'Overall health (minimum component health, worst risk) and every component, worst risk first',
    description: "Before the worker's first score: 200 with `status: 'not-scored-yet'` and no components.",
  })
  current(@CurrentUser() user: RequestUser, @Param('vin', new ZodValidationPipe(vinSchema)) vin: string): Promise<VehicleHealthView> {
    return this.health.health(user, vin);
  }

  @Get('history')
  @ApiOperation({
    summary: 'Prediction snapshots (each change, at least daily), newest first',
    description:
      "Without each snapshot's evidence and findings unless `include=evidence,findings` (or one of them): a car's current ones are in GET /vehicles/{vin}/health.",
  })
  @ApiZodQuery(healthHistoryQueryFields)
  history(
    @CurrentUser() user: RequestUser,
    @Param('vin', new ZodValidationPipe(vinSchema)) vin: string,
    @Query(new ZodValidationPipe(healthHistoryQuerySchema)) query: HealthHistoryQuery,
  ): Promise<HealthHistoryView> {
    return this.health.history(user, vin, query);
  }
}
