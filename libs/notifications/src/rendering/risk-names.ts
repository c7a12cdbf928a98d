// Runtime copies of the maintenance enums: `#app/maintenance` is imported for types only, so this
// library does not load the models at run time.
import type { ComponentName, Risk } from '#app/maintenance';

export const RISKS = ['OK', 'WATCH', 'SOON', 'URGENT', 'CRITICAL'] as const satisfies readonly Risk[];
export const COMPONENTS = [
  'ENGINE_COOLING',
  'FUEL_ECONOMY',
  'TIRES',
  'SERVICE_SCHEDULE',
  'BATTERY',
  'DIAGNOSTICS',
] as const satisfies readonly ComponentName[];
