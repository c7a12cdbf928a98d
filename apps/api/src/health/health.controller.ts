import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '#app/auth';
import { SkipRateLimit } from '../rate-limit/skip-rate-limit.decorator.js';
import type { ReadinessReport } from './readiness.model.js';
import { ReadinessService } from './readiness.service.js';

/** The subset of the response object used to set the readiness status code. */
interface StatusResponse {
  status(code: number): unknown;
}

@ApiTags('health')
@Public()
@SkipRateLimit()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: 200 while the process runs' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: Postgres, Redis and the MQTT broker answer (503 otherwise)' })
  async ready(@Res({ passthrough: true }) response: StatusResponse): Promise<ReadinessReport> {
    const report = await this.readiness.check();
    response.status(report.status === 'ready' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
