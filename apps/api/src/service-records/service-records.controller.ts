import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type RequestUser } from '#app/auth';
import { ApiZodBody, ApiZodQuery } from '../common/zod-openapi.decorator.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { vinSchema } from '../vehicles/vin.schema.js';
import type { CreatedServiceRecordView, ServiceRecordView } from './service-record.model.js';
import {
  type CreateServiceRecordRequest,
  createServiceRecordSchema,
  type ListServiceRecordsQuery,
  listServiceRecordsQuerySchema,
} from './service-record.schema.js';
import { ServiceRecordsService } from './service-records.service.js';

@ApiTags('service records')
@ApiBearerAuth()
@Controller('vehicles/:vin/service-records')
export class ServiceRecordsController {
  constructor(private readonly records: ServiceRecordsService) {}

  // Open to every role in scope, on purpose: the center records the work it did, and an owner may
  // record work done elsewhere (an oil change at another garage), or the models keep asking for it.
  @Post()
  @ApiOperation({
    summary: 'Record maintenance work; the vehicle is rescored',
    description:
      "Staff and admins of the vehicle's center record their own work; the owner may record work done elsewhere. " +
      "The record belongs to the vehicle's center either way; `createdById` tells who entered it.",
  })
  @ApiZodBody(createServiceRecordSchema)
  create(
    @CurrentUser() user: RequestUser,
    @Param('vin', new ZodValidationPipe(vinSchema)) vin: string,
    @Body(new ZodValidationPipe(createServiceRecordSchema)) body: CreateServiceRecordRequest,
  ): Promise<CreatedServiceRecordView> {
    return this.records.create(user, vin, body);
  }

  @Get()
  @ApiOperation({ summary: "The vehicle's service records, newest work first" })
  @ApiZodQuery(listServiceRecordsQuerySchema)
  list(
    @CurrentUser() user: RequestUser,
    @Param('vin', new ZodValidationPipe(vinSchema)) vin: string,
    @Query(new ZodValidationPipe(listServiceRecordsQuerySchema)) query: ListServiceRecordsQuery,
  ): Promise<{ vin: string; items: ServiceRecordView[] }> {
    return this.records.list(user, vin, query);
  }
}
