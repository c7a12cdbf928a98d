export * from './maintenance-model.js';
