import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '#app/auth';
import { SkipRateLimit } from '../rate-limit/skip-rate-limit.decorator.js';
import { MetricsService } from './metrics.service.js';

@ApiTags('metrics')
@Public()
@SkipRateLimit()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'Prometheus metrics of the API and of ingestion' })
  render(): Promise<string> {
    return this.metrics.render();
  }
}
