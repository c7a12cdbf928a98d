// The maintenance vocabulary: risks, components, wheels and the telemetry sample. Side-effect free and
// model free, so the API, the notifications library and the front-end type mirrors can import it
// (`#app/maintenance/vocabulary`) without loading the models.
export * from './risk.js';
export * from './component.js';
export * from './telemetry-sample.js';
