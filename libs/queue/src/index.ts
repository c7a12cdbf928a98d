export * from './queue-names.js';
export * from './redis-connection.js';
export * from './scoring.producer.js';
export * from './delivery.producer.js';
export * from './queue-error.log.js';
export * from './worker-shutdown.js';
export * from './jobs.js';
export * from './queue-consumer.js';
