/** The parts of a car a maintenance model assesses, one model each. */
export const COMPONENTS = ['ENGINE_COOLING', 'FUEL_ECONOMY', 'TIRES', 'SERVICE_SCHEDULE', 'BATTERY', 'DIAGNOSTICS'] as const;
export type ComponentName = (typeof COMPONENTS)[number];
