import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { PlatformMetricsRepository } from './platform-metrics.repository.js';

@Module({ controllers: [MetricsController], providers: [MetricsService, PlatformMetricsRepository], exports: [MetricsService] })
export class MetricsModule {}
