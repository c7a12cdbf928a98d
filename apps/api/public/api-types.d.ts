// The API's answers as the two front-ends read them (the staff dashboard and, through /dashboard/api-types.js, the
// owner app): the server's own view types, the ones its controllers return and its OpenAPI document describes,
// re-exported rather than copied, so a change of an answer on the server is a type error in the pages
// (npx tsc -p tsconfig.frontend.json). openapi-typescript would generate the same from the document, but its
// version 7 wants TypeScript 5 (this project is on 6).
import type { DeviceStatusView } from '../src/device-status/device-status.model.js';
import type { SilentVehicleView } from '../src/dashboard/dashboard.model.js';
import type { RejectedMessageView } from '../src/telemetry/telemetry.model.js';

export type { LoginResponse } from '../src/auth/login.schema.js';
export type { AppointmentView } from '../src/appointments/appointment.model.js';
export type {
  AttentionComponentView,
  AttentionItemView,
  AttentionView,
  DashboardSummaryView,
  SilentVehicleView,
} from '../src/dashboard/dashboard.model.js';
export type { DeviceState, DeviceStatusView } from '../src/device-status/device-status.model.js';
export type { PreferenceView, UpdatedPreferenceView } from '../src/preferences/preference.model.js';
export type { ReminderList, ReminderView } from '../src/reminders/reminder.model.js';
export type { RejectedMessageView, TelemetryBucketView, TelemetryResponse } from '../src/telemetry/telemetry.model.js';
export type { ComponentHealthView, VehicleHealthView } from '../src/vehicle-health/vehicle-health.model.js';
export type { VehiclePage, VehicleView } from '../src/vehicles/vehicle.model.js';
export type { FleetRiskView, VehicleChartsView } from '../src/charts/charts.schema.js';

/** GET /dashboard/device-status?vins=...: the devices of the listed cars. */
export interface DeviceStatusList {
  items: DeviceStatusView[];
}
/** GET /dashboard/silent: cars whose every message of the last 24 h was refused. */
export interface SilentVehicleList {
  items: SilentVehicleView[];
}
/** GET /vehicles/{vin}/rejected. */
export interface RejectedMessageList {
  vin: string;
  items: RejectedMessageView[];
}
/** A 4xx/5xx body: Nest's error shape (message may be a list of validation messages). */
export interface ApiErrorBody {
  message?: string | string[];
  error?: string;
}
