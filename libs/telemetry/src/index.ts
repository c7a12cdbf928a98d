export * from './contract/index.js';
export * from './obd/index.js';
export * from './telemetry-sample.js';
