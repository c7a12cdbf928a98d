import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type RequestUser, Roles } from '#app/auth';
import { ApiZodQuery } from '../common/zod-openapi.decorator.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { vinSchema } from '../vehicles/vin.schema.js';
import type { DeviceStatusView } from './device-status.model.js';
import { type DeviceStatusQuery, deviceStatusQuerySchema } from './device-status.schema.js';
import { DeviceStatusService } from './device-status.service.js';

const STATES = 'CONNECTED, OFFLINE (it said goodbye), UNPLUGGED (its last will: gone without a goodbye) or NEVER_CONNECTED';

@ApiTags('devices')
@ApiBearerAuth()
@Controller()
export class DeviceStatusController {
  constructor(private readonly status: DeviceStatusService) {}

  @Get('vehicles/:vin/device-status')
  @ApiOperation({ summary: `The car's device: ${STATES}, since when, and whether all its recent messages are refused (with the reason)` })
  ofVehicle(@CurrentUser() user: RequestUser, @Param('vin', new ZodValidationPipe(vinSchema)) vin: string): Promise<DeviceStatusView> {
    return this.status.ofVehicle(user, vin);
  }

  @Get('dashboard/device-status')
  @Roles('STAFF', 'ADMIN')
  @ApiOperation({ summary: `The devices of the listed cars of your center: ${STATES}` })
  @ApiZodQuery(deviceStatusQuerySchema)
  ofVehicles(
    @CurrentUser() user: RequestUser,
    @Query(new ZodValidationPipe(deviceStatusQuerySchema)) query: DeviceStatusQuery,
  ): Promise<{ items: DeviceStatusView[] }> {
    return this.status.ofVehicles(user, query.vins).then((items) => ({ items }));
  }
}
