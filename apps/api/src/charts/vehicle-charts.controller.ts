import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type RequestUser } from '#app/auth';
import { ApiZodQuery, openApiResponseSchema } from '../common/zod-openapi.decorator.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { vinSchema } from '../vehicles/vin.schema.js';
import { type VehicleChartsQuery, vehicleChartsQuerySchema, vehicleChartsSchema, type VehicleChartsView } from './charts.schema.js';
import { VehicleChartsService } from './vehicle-charts.service.js';

@ApiTags('charts')
@ApiBearerAuth()
@Controller('vehicles/:vin/charts')
export class VehicleChartsController {
  constructor(private readonly charts: VehicleChartsService) {}

  @Get()
  @ApiOperation({
    summary: 'The evidence behind the predictions as chart series, each with its unit, over the last `days`',
    description:
      'Warm coolant temperature per day with the baseline, the danger line and the forecast to it; overheating episodes per day; ' +
      'tread per wheel against the odometer with the projection to 3.0 and 1.6 mm; pressure per wheel with leak findings; ' +
      "fuel use against the car's own expectation; resting and cranking battery voltage; health per component. " +
      'Daily series have at most one point per day (366); pressure buckets widen with `days` to stay within 400 points per wheel.',
  })
  @ApiZodQuery(vehicleChartsQuerySchema)
  @ApiOkResponse({ schema: openApiResponseSchema(vehicleChartsSchema) })
  get(
    @CurrentUser() user: RequestUser,
    @Param('vin', new ZodValidationPipe(vinSchema)) vin: string,
    @Query(new ZodValidationPipe(vehicleChartsQuerySchema)) query: VehicleChartsQuery,
  ): Promise<VehicleChartsView> {
    return this.charts.vehicleCharts(user, vin, query);
  }
}
