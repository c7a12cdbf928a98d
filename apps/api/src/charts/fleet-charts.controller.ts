import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type RequestUser, Roles } from '#app/auth';
import { openApiResponseSchema } from '../common/zod-openapi.decorator.js';
import { fleetRiskSchema, type FleetRiskView } from './charts.schema.js';
import { VehicleChartsService } from './vehicle-charts.service.js';

@ApiTags('charts')
@ApiBearerAuth()
@Roles('STAFF', 'ADMIN')
@Controller('dashboard/charts')
export class FleetChartsController {
  constructor(private readonly charts: VehicleChartsService) {}

  @Get('risk-by-component')
  @ApiOperation({ summary: "The center's vehicles per component and current risk (a stacked bar on the dashboard)" })
  @ApiOkResponse({ schema: openApiResponseSchema(fleetRiskSchema) })
  riskByComponent(@CurrentUser() user: RequestUser): Promise<FleetRiskView> {
    return this.charts.fleetRisk(user);
  }
}
