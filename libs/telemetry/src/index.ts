export * from './telemetry-sample.js';
