import { createMaintenanceModels, ServiceScheduleModel, type MaintenanceModel } from '#app/maintenance';

/**
 * The worker's models (createMaintenanceModels), plus the service-schedule model while the registry does
 * not list it yet: the oil fault cannot be judged without it. Fresh instances per vehicle.
 */
export function evaluationModels(): MaintenanceModel[] {
  const models = createMaintenanceModels();
  if (!models.some((m) => m.component === 'SERVICE_SCHEDULE')) models.push(new ServiceScheduleModel());
  return models;
}
