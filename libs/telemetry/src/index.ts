export * from './contract/index.js';
export * from './telemetry-sample.js';
