import { Module } from '@nestjs/common';
import { CallListModule } from '../call-list/call-list.module.js';
import { DashboardSummaryCache } from './dashboard-summary.cache.js';
import { DashboardController } from './dashboard.controller.js';
import { DashboardRepository } from './dashboard.repository.js';
import { DashboardService } from './dashboard.service.js';

@Module({ imports: [CallListModule], controllers: [DashboardController], providers: [DashboardService, DashboardRepository, DashboardSummaryCache] })
export class DashboardModule {}
