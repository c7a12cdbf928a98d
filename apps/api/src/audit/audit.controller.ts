import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type RequestUser, Roles } from '#app/auth';
import { ApiZodQuery } from '../common/zod-openapi.decorator.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { vinSchema } from '../vehicles/vin.schema.js';
import type { AuditEventView } from './audit.model.js';
import { type AuditQuery, auditQuerySchema } from './audit.schema.js';
import { AuditService } from './audit.service.js';

@ApiTags('dashboard')
@ApiBearerAuth()
@Roles('STAFF', 'ADMIN')
@Controller('dashboard/vehicles/:vin/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({
    summary: "The car's audit trail, newest first: who recorded which call outcome and changed which appointment, when",
  })
  @ApiZodQuery(auditQuerySchema)
  list(
    @CurrentUser() user: RequestUser,
    @Param('vin', new ZodValidationPipe(vinSchema)) vin: string,
    @Query(new ZodValidationPipe(auditQuerySchema)) query: AuditQuery,
  ): Promise<{ vin: string; items: AuditEventView[] }> {
    return this.audit.forVehicle(user, vin, query);
  }
}
