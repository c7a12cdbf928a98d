export * from './contract-limits.model.js';
export { NUMERIC_FIELDS, type NumericField } from './field-aliases.table.js';
export * from './fuel-rate.estimator.js';
export * from './rejection.model.js';
export * from './telemetry-message.parser.js';
export { isValidVin, parseTelemetryTopic, telemetryTopicOf } from './telemetry-topic.parser.js';
export * from './device-status.message.js';
export { normalizeSample, type SampleOutcome } from './telemetry-sample.normalizer.js';
export * from './device-clock.estimator.js';
