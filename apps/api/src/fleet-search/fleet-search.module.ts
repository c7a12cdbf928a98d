import { Module } from '@nestjs/common';
import { FleetSearchController } from './fleet-search.controller.js';
import { FleetSearchRepository } from './fleet-search.repository.js';
import { FleetSearchService } from './fleet-search.service.js';

@Module({ controllers: [FleetSearchController], providers: [FleetSearchService, FleetSearchRepository] })
export class FleetSearchModule {}
