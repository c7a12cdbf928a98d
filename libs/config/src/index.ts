export * from './app-config.js';
export * from './config.module.js';
export * from './mqtt-client-ids.js';
export * from './obd-data-dir.js';
