export * from './car-obd.parser.js';
export * from './cephasax.parser.js';
export * from './maf-fuel-rate.js';
export * from './obd-log-format.js';
export * from './obd-log.error.js';
export type { ObdSeriesOptions } from './obd-series.builder.js';
export * from './obd-cell.parser.js';
