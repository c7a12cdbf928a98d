export * from './telemetry-segments.js';
export * from './tire-reading-days.js';
export * from './incremental-model.js';
