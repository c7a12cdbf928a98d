export * from './odometer-cleaner.js';
export * from './daily-distance.js';
export * from './odometer-lookup.js';
