export * from './odometer-cleaner.js';
export * from './daily-distance.js';
export * from './odometer-lookup.js';
export * from './odometer-events.js';
export * from './odometer-aware.model.js';
export * from './odometer-state-shifts.js';
export * from './odometer-track.js';
