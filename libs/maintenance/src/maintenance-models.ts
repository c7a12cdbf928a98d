import { BatteryModel } from './battery/battery.model.js';
import { DiagnosticsModel } from './diagnostics/diagnostics.model.js';
import { EngineCoolingModel } from './engine-cooling/engine-cooling.model.js';
import { FuelEconomyModel } from './fuel-economy/fuel-economy.model.js';
import type { MaintenanceModel } from './maintenance-model.js';
import { OdometerAwareModel } from './odometer/odometer-aware.model.js';
import { shiftServiceScheduleState, shiftTireState } from './odometer/odometer-state-shifts.js';
import { ServiceScheduleModel } from './service-schedule/service-schedule.model.js';
import { TireWearModel } from './tires/tire-wear.model.js';

/** Every model a vehicle score runs, one per component. */
export function createMaintenanceModels(): MaintenanceModel[] {
  return [
    new EngineCoolingModel(),
    new FuelEconomyModel(),
    // Distance models see one continuous odometer: jumps and rollbacks are skipped, not driven.
    new OdometerAwareModel(new TireWearModel(), shiftTireState),
    new OdometerAwareModel(new ServiceScheduleModel(), shiftServiceScheduleState),
    new BatteryModel(),
    new DiagnosticsModel(),
  ];
}
