export * from './broker-auth.module.js';
export * from './broker-credentials.renderer.js';
export * from './broker-credentials.sync.js';
export * from './broker-credentials.writer.js';
export * from './device-secret.js';
export * from './mosquitto-password.js';
export * from './nats-authorization.js';
export * from './nats-authorization.sync.js';
