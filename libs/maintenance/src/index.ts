export * from './maintenance-model.js';
export * from './engine-cooling/engine-cooling.model.js';
export * from './fuel-economy/fuel-economy.model.js';
export * from './battery/battery.model.js';
export * from './diagnostics/diagnostics.model.js';
export * from './maintenance-models.js';
