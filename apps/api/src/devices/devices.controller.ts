import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type RequestUser, Roles } from '#app/auth';
import { ApiZodBody } from '../common/zod-openapi.decorator.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { vinSchema } from '../vehicles/vin.schema.js';
import { deviceIdSchema, type ProvisionDeviceRequest, provisionDeviceSchema } from './device.schema.js';
import type { DeviceView, ProvisionedDeviceView } from './device.model.js';
import { DevicesService } from './devices.service.js';

/** Device credentials for the broker's device listener; staff of the vehicle's service center only. */
@ApiTags('devices')
@ApiBearerAuth()
@Roles('STAFF', 'ADMIN')
@Controller()
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Post('vehicles/:vin/devices')
  @ApiOperation({
    summary: 'Provision a device for the vehicle: MQTT username (its serial) and password, shown only in this answer',
  })
  @ApiZodBody(provisionDeviceSchema)
  provision(
    @CurrentUser() user: RequestUser,
    @Param('vin', new ZodValidationPipe(vinSchema)) vin: string,
    @Body(new ZodValidationPipe(provisionDeviceSchema)) body: ProvisionDeviceRequest,
  ): Promise<ProvisionedDeviceView> {
    return this.devices.provision(user, vin, body);
  }

  @Get('vehicles/:vin/devices')
  @ApiOperation({ summary: "The vehicle's devices, active and revoked (no secrets)" })
  list(@CurrentUser() user: RequestUser, @Param('vin', new ZodValidationPipe(vinSchema)) vin: string): Promise<DeviceView[]> {
    return this.devices.list(user, vin);
  }

  @Post('devices/:id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a device: it can no longer log in to the broker, and a connected one is dropped' })
  revoke(@CurrentUser() user: RequestUser, @Param('id', new ZodValidationPipe(deviceIdSchema)) id: string): Promise<DeviceView> {
    return this.devices.revoke(user, id);
  }
}
