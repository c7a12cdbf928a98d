import { createMaintenanceModels } from '#app/maintenance';

/** Injection token for the list of models a score runs (one per component). */
export const MAINTENANCE_MODELS = Symbol('MAINTENANCE_MODELS');

export const maintenanceModelsProvider = { provide: MAINTENANCE_MODELS, useFactory: createMaintenanceModels };
