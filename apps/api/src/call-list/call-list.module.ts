import { Module } from '@nestjs/common';
import { AppointmentDataModule } from '../appointments/appointment-data.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { EventsModule } from '../events/events.module.js';
import { VehiclesModule } from '../vehicles/vehicles.module.js';
import { CallListController } from './call-list.controller.js';
import { CallListPageCache } from './call-list-page.cache.js';
import { CallListRepository } from './call-list.repository.js';
import { CallListService } from './call-list.service.js';

/** Call outcomes; the dashboard asks CallListService which of its cars are held off the list, and keeps its pages in CallListPageCache. */
@Module({
  imports: [VehiclesModule, AuditModule, AppointmentDataModule, EventsModule],
  controllers: [CallListController],
  providers: [CallListService, CallListRepository, CallListPageCache],
  exports: [CallListService, CallListPageCache],
})
export class CallListModule {}
