import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type RequestUser, Roles } from '#app/auth';
import { JSON_CONTENT_TYPE, type JsonText } from '../common/json-text.js';
import { ApiZodQuery } from '../common/zod-openapi.decorator.js';
import { ZodValidationPipe } from '../common/zod-validation.pipe.js';
import type { AttentionView, DashboardSummaryView, SilentVehicleView } from './dashboard.model.js';
import { type AttentionQuery, attentionQuerySchema } from './dashboard.schema.js';
import { DashboardService } from './dashboard.service.js';

@ApiTags('dashboard')
@ApiBearerAuth()
@Roles('STAFF', 'ADMIN')
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get('attention')
  @ApiOperation({
    summary: "The center's vehicles that need attention, worst first: which customers to call",
    description:
      'Worst component risk first, then the earliest due date; each with the owner contact and the worst components. ' +
      'Shared by the center for up to DASHBOARD_ATTENTION_TTL_SECONDS (2 s) per API process; a call recorded on the same process shows at once.',
  })
  @ApiZodQuery(attentionQuerySchema)
  @Header('Content-Type', JSON_CONTENT_TYPE)
  attention(
    @CurrentUser() user: RequestUser,
    @Query(new ZodValidationPipe(attentionQuerySchema)) query: AttentionQuery,
  ): Promise<JsonText<AttentionView>> {
    return this.dashboard.attention(user, query);
  }

  @Get('silent')
  @ApiOperation({ summary: 'Vehicles with nothing usable stored in the last 24 h but messages refused, with the latest reason' })
  silent(@CurrentUser() user: RequestUser): Promise<{ items: SilentVehicleView[] }> {
    return this.dashboard.silent(user);
  }

  @Get('summary')
  @ApiOperation({
    summary: "The center's vehicles per worst risk, vehicles reporting and messages rejected in the last 24 h",
    description:
      'Computed at most once per DASHBOARD_SUMMARY_TTL_SECONDS (10 s) for all API replicas: `generatedAt` is when, so the answer is at most that old.',
  })
  summary(@CurrentUser() user: RequestUser): Promise<DashboardSummaryView> {
    return this.dashboard.summary(user);
  }
}
