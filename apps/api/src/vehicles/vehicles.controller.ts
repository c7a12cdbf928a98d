import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type RequestUser, Roles } from '#app/auth';
import { ApiZodBody, ApiZodQuery } from '../common/zod-openapi.decorator.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { type CreateVehicleRequest, createVehicleSchema, type ListVehiclesQuery, listVehiclesQuerySchema } from './vehicle.schema.js';
import type { CreatedVehicleView, VehiclePage, VehicleView } from './vehicle.model.js';
import { VehiclesService } from './vehicles.service.js';
import { vinSchema } from './vin.schema.js';

@ApiTags('vehicles')
@ApiBearerAuth()
@Controller('vehicles')
export class VehiclesController {
  constructor(private readonly vehicles: VehiclesService) {}

  @Post()
  @Roles('STAFF', 'ADMIN')
  @ApiOperation({ summary: "Register a vehicle in the caller's service center (creates the owner if new)" })
  @ApiZodBody(createVehicleSchema)
  create(
    @CurrentUser() user: RequestUser,
    @Body(new ZodValidationPipe(createVehicleSchema)) body: CreateVehicleRequest,
  ): Promise<CreatedVehicleView> {
    return this.vehicles.create(user, body);
  }

  @Get()
  @ApiOperation({ summary: "The caller's vehicles (owners: their own; staff: their center's), by VIN" })
  @ApiZodQuery(listVehiclesQuerySchema)
  list(@CurrentUser() user: RequestUser, @Query(new ZodValidationPipe(listVehiclesQuerySchema)) query: ListVehiclesQuery): Promise<VehiclePage> {
    return this.vehicles.list(user, query);
  }

  @Get(':vin')
  @ApiOperation({ summary: 'One vehicle with its owner, last telemetry time and odometer' })
  get(@CurrentUser() user: RequestUser, @Param('vin', new ZodValidationPipe(vinSchema)) vin: string): Promise<VehicleView> {
    return this.vehicles.get(user, vin);
  }
}
