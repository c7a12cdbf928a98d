import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type RequestUser, Roles } from '#app/auth';
import { ApiZodBody, ApiZodQuery } from '../common/zod-openapi.decorator.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import { vinSchema } from '../vehicles/vin.schema.js';
import type { CallOutcomeView, RecordedCallOutcomeView } from './call-list.model.js';
import { CallListService } from './call-list.service.js';
import {
  type CallOutcomeHistoryQuery,
  callOutcomeHistoryQuerySchema,
  type RecordCallOutcomeRequest,
  recordCallOutcomeSchema,
} from './call-outcome.schema.js';

@ApiTags('dashboard')
@ApiBearerAuth()
@Roles('STAFF', 'ADMIN')
@Controller('dashboard/call-list/:vin/outcomes')
export class CallListController {
  constructor(private readonly calls: CallListService) {}

  @Post()
  @ApiOperation({
    summary: 'Record what a call to the car’s owner came to; the car leaves the call list until it is due again',
    description:
      'CALLED holds the car off the list for 7 days, NO_ANSWER for 1, BOOKED and DECLINED for 30, CALL_AGAIN until callAgainAt; ' +
      'a higher risk, a new finding or (except CALL_AGAIN) a due date passed since the call brings it back sooner. ' +
      'BOOKED with appointmentAt also makes a confirmed appointment. Staff of the car’s center only (404 otherwise).',
  })
  @ApiZodBody(recordCallOutcomeSchema)
  record(
    @CurrentUser() user: RequestUser,
    @Param('vin', new ZodValidationPipe(vinSchema)) vin: string,
    @Body(new ZodValidationPipe(recordCallOutcomeSchema)) body: RecordCallOutcomeRequest,
  ): Promise<RecordedCallOutcomeView> {
    return this.calls.record(user, vin, body);
  }

  @Get()
  @ApiOperation({ summary: 'The calls made about the car, newest first, with who made them' })
  @ApiZodQuery(callOutcomeHistoryQuerySchema)
  history(
    @CurrentUser() user: RequestUser,
    @Param('vin', new ZodValidationPipe(vinSchema)) vin: string,
    @Query(new ZodValidationPipe(callOutcomeHistoryQuerySchema)) query: CallOutcomeHistoryQuery,
  ): Promise<{ vin: string; items: CallOutcomeView[] }> {
    return this.calls.history(user, vin, query);
  }
}
