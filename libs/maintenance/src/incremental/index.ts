export * from './telemetry-segments.js';
export * from './incremental-model.js';
