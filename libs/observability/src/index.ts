export * from './ingest-metrics.model.js';
export * from './ingest-metrics.recorder.js';
export * from './ingest-metrics.renderer.js';
export * from './throttled-log.js';
export * from './ingestion-status.model.js';
