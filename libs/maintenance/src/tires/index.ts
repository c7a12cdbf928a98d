export * from './tire-wear.model.js';
export type { TireModelStateV2, TireModelStateV1, TireModelState, StoredTreadReading, StoredTireEvent } from './tire-state.js';
export { RECENT_PRESSURE, PRESSURE_LOSS, type PressureLossMemory } from './pressure-loss.js';
