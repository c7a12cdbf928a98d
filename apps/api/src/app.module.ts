import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuthCoreModule, JwtAuthGuard } from '#app/auth';
import { ConfigModule, loadApiConfig } from '#app/config';
import { DatabaseModule } from '#app/database';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CallListModule } from './call-list/call-list.module.js';
import { ChartsModule } from './charts/charts.module.js';
import { UserSessionRepository } from './auth/user-session.repository.js';
import { CommonModule } from './common/common.module.js';
import { DomainExceptionFilter } from './common/domain-exception.filter.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { DashboardUiModule } from './dashboard-ui/dashboard-ui.module.js';
import { DevicesModule } from './devices/devices.module.js';
import { DeviceStatusModule } from './device-status/device-status.module.js';
import { HealthModule } from './health/health.module.js';
import { InspectionsModule } from './inspections/inspections.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { RemindersModule } from './reminders/reminders.module.js';
import { AppointmentsModule } from './appointments/appointments.module.js';
import { EventsModule } from './events/events.module.js';
import { FleetSearchModule } from './fleet-search/fleet-search.module.js';
import { PreferencesModule } from './preferences/preferences.module.js';
import { PushSubscriptionsModule } from './push-subscriptions/push-subscriptions.module.js';
import { RateLimitGuard } from './rate-limit/rate-limit.guard.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { ObdImportsModule } from './obd-imports/obd-imports.module.js';
import { OdometerCorrectionsModule } from './odometer-corrections/odometer-corrections.module.js';
import { ServiceRecordsModule } from './service-records/service-records.module.js';
import { TelemetryModule } from './telemetry/telemetry.module.js';
import { VehicleHealthModule } from './vehicle-health/vehicle-health.module.js';
import { VehiclesModule } from './vehicles/vehicles.module.js';

@Module({
  imports: [
    ConfigModule.forRoot(loadApiConfig),
    DatabaseModule,
    CommonModule,
    RateLimitModule,
    AuthCoreModule.forRoot({ sessionStore: UserSessionRepository }),
    AuthModule,
    VehiclesModule,
    DevicesModule,
    DeviceStatusModule,
    TelemetryModule,
    VehicleHealthModule,
    ChartsModule,
    InspectionsModule,
    ServiceRecordsModule,
    ObdImportsModule,
    OdometerCorrectionsModule,
    DashboardModule,
    CallListModule,
    AuditModule,
    FleetSearchModule,
    HealthModule,
    MetricsModule,
    RemindersModule,
    PreferencesModule,
    PushSubscriptionsModule,
    AppointmentsModule,
    EventsModule,
    DashboardUiModule,
  ],
  providers: [
    // Closed by default: every route needs a bearer token unless marked @Public().
    { provide: APP_GUARD, useExisting: JwtAuthGuard },
    // After the JWT guard (global guards run in this order), so it can limit by user id.
    { provide: APP_GUARD, useExisting: RateLimitGuard },
    { provide: APP_FILTER, useClass: DomainExceptionFilter },
  ],
})
export class AppModule {}
