import { createMaintenanceModels, type MaintenanceModel } from '#app/maintenance';

/** The worker's models, from the one registry the worker uses. Fresh instances per vehicle. */
export function evaluationModels(): MaintenanceModel[] {
  return createMaintenanceModels();
}
