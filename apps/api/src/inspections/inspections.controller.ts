import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type RequestUser, Roles } from '#app/auth';
import { ApiZodBody } from '../common/zod-openapi.decorator.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { vinSchema } from '../vehicles/vin.schema.js';
import type { InspectionView } from './inspection.model.js';
import { type CreateInspectionRequest, createInspectionSchema } from './inspection.schema.js';
import { InspectionsService } from './inspections.service.js';

@ApiTags('inspections')
@ApiBearerAuth()
@Controller('vehicles/:vin/inspections')
export class InspectionsController {
  constructor(private readonly inspections: InspectionsService) {}

  @Post()
  // A measurement taken by the workshop: owners read the result, they do not enter it.
  @Roles('STAFF', 'ADMIN')
  @ApiOperation({ summary: 'Record tread depth and pressure measured at a service; the vehicle is rescored' })
  @ApiZodBody(createInspectionSchema)
  create(
    @CurrentUser() user: RequestUser,
    @Param('vin', new ZodValidationPipe(vinSchema)) vin: string,
    @Body(new ZodValidationPipe(createInspectionSchema)) body: CreateInspectionRequest,
  ): Promise<InspectionView> {
    return this.inspections.create(user, vin, body);
  }
}
