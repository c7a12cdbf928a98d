import type { ComponentName, ServiceKind, WheelPosition } from '#app/maintenance';

export interface ServiceForFinding {
  kind: ServiceKind;
  /** Wheels the work applied to; empty = all / not applicable. */
  positions: WheelPosition[];
}

const WHEELS: readonly string[] = ['FL', 'FR', 'RL', 'RR'];

// SERVICE_DUE subjects are the service-schedule items (libs/maintenance service-items.ts); each is
// reset by the kind listed there, so recording that kind is what makes the model start over.
const SCHEDULE_ITEMS: Record<string, ServiceKind> = {
  oil: 'OIL_CHANGE',
  'air-filter': 'AIR_FILTER',
  'brake-fluid': 'BRAKE_SERVICE',
  coolant: 'COOLANT_SERVICE',
  'tire-rotation': 'TIRE_ROTATION',
  inspection: 'GENERAL_INSPECTION',
};

// When a code is new to this table, the component's usual work is recorded rather than nothing.
const BY_COMPONENT: Record<ComponentName, ServiceKind> = {
  ENGINE_COOLING: 'COOLANT_SERVICE',
  FUEL_ECONOMY: 'FUEL_SYSTEM_SERVICE',
  TIRES: 'TIRE_REPLACEMENT',
  SERVICE_SCHEDULE: 'GENERAL_INSPECTION',
  BATTERY: 'BATTERY_REPLACEMENT',
  DIAGNOSTICS: 'GENERAL_INSPECTION',
};

/**
 * The service record that fixes a finding, chosen so the model that raised it resets on it (the
 * kinds each model resets on: tires TIRE_REPLACEMENT, PUNCTURE_REPAIR, WHEEL_ALIGNMENT, engine cooling
 * COOLANT_SERVICE/THERMOSTAT_REPLACEMENT, battery BATTERY_REPLACEMENT, fuel FUEL_SYSTEM_SERVICE).
 */
export function serviceForFinding(component: ComponentName, code: string, subject: string): ServiceForFinding {
  const wheel = WHEELS.includes(subject) ? [subject as WheelPosition] : [];
  switch (code) {
    case 'TIRE_TREAD_WEAR':
      return { kind: 'TIRE_REPLACEMENT', positions: wheel };
    // A leak or low pressure is fixed at the tyre, not by a new one; this kind resets the pressure analysis.
    case 'TIRE_SLOW_LEAK':
    case 'TIRE_PRESSURE_LOSS':
    case 'TIRE_UNDER_INFLATED':
      return { kind: 'PUNCTURE_REPAIR', positions: wheel };
    // Alignment is per car: the tyre model resets uneven wear on any alignment.
    case 'TIRE_UNEVEN_WEAR':
      return { kind: 'WHEEL_ALIGNMENT', positions: [] };
    case 'THERMOSTAT_STUCK_OPEN':
      return { kind: 'THERMOSTAT_REPLACEMENT', positions: [] };
    case 'SERVICE_DUE':
      return { kind: SCHEDULE_ITEMS[subject] ?? 'GENERAL_INSPECTION', positions: [] };
    // No record kind for alternator work: OTHER documents it without resetting the battery model.
    case 'CHARGING_VOLTAGE_LOW':
    case 'CHARGING_VOLTAGE_HIGH':
      return { kind: 'OTHER', positions: [] };
    case 'DRIVING_PATTERN_CHANGED':
      return { kind: 'OTHER', positions: [] };
  }
  if (code.startsWith('TIRE_')) return { kind: 'TIRE_REPLACEMENT', positions: wheel };
  if (code.startsWith('COOLANT_')) return { kind: 'COOLANT_SERVICE', positions: [] };
  if (code.startsWith('BATTERY_')) return { kind: 'BATTERY_REPLACEMENT', positions: [] };
  if (code.startsWith('FUEL_')) return { kind: 'FUEL_SYSTEM_SERVICE', positions: [] };
  return { kind: BY_COMPONENT[component], positions: [] };
}
