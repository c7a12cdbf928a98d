export * from './tire-wear.model.js';
export type { TireModelState, StoredTreadReading, StoredTireEvent } from './tire-state.js';
