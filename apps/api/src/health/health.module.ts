import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ClusterNodesHealthIndicator } from './cluster-nodes-health.indicator.js';
import { DatabasePingRepository } from './database-ping.repository.js';
import { DependencyHealthIndicator } from './dependency-health.indicator.js';
import { HealthController } from './health.controller.js';
import { IngestionHealthIndicator } from './ingestion-health.indicator.js';
import { ReadinessService } from './readiness.service.js';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'pretty' })],
  controllers: [HealthController],
  providers: [ReadinessService, DependencyHealthIndicator, ClusterNodesHealthIndicator, IngestionHealthIndicator, DatabasePingRepository],
})
export class HealthModule {}
