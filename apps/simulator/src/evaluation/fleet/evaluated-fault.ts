import type { ComponentName } from '#app/maintenance';

/** The simulator's injectable faults plus an oil service left to run overdue (a record, not physics). */
export const EVALUATED_FAULTS = [
  'coolant-drift',
  'thermostat-stuck-open',
  'fuel-economy-loss',
  'fast-tire-wear',
  'uneven-tire-wear',
  'slow-leak',
  'oil-service-overdue',
] as const;
export type EvaluatedFault = (typeof EVALUATED_FAULTS)[number];

export interface FaultDefinition {
  /** Components whose SOON-or-worse risk counts as detecting this fault. */
  detectedBy: readonly ComponentName[];
  /** The failure line, in words for the report. */
  failureLine: string;
  /**
   * 'predictive': must be flagged before the failure line (lead time = line day - alert day).
   * 'reactive': the fault is the failure (a stuck thermostat); it must be flagged within `withinDays`.
   */
  timing: { kind: 'predictive' } | { kind: 'reactive'; withinDays: number };
}

export const FAULT_DEFINITIONS: Record<EvaluatedFault, FaultDefinition> = {
  'coolant-drift': {
    detectedBy: ['ENGINE_COOLING'],
    failureLine: 'thermostat regulation point (warm median) reaches 105 C',
    timing: { kind: 'predictive' },
  },
  'thermostat-stuck-open': {
    // P0128 is the ECU's own thermostat code: the platform raising it is a detection too.
    detectedBy: ['ENGINE_COOLING', 'DIAGNOSTICS'],
    failureLine: 'fault onset (must be flagged within 7 days)',
    timing: { kind: 'reactive', withinDays: 7 },
  },
  'fuel-economy-loss': {
    detectedBy: ['FUEL_ECONOMY'],
    failureLine: 'fuel use 15 % above the healthy baseline',
    timing: { kind: 'predictive' },
  },
  'fast-tire-wear': {
    detectedBy: ['TIRES'],
    failureLine: 'first wheel tread reaches 1.6 mm',
    timing: { kind: 'predictive' },
  },
  'uneven-tire-wear': {
    detectedBy: ['TIRES'],
    failureLine: 'front-left tread reaches 1.6 mm',
    timing: { kind: 'predictive' },
  },
  'slow-leak': {
    detectedBy: ['TIRES'],
    failureLine: 'rear-right cold pressure below 150 kPa',
    timing: { kind: 'predictive' },
  },
  'oil-service-overdue': {
    detectedBy: ['SERVICE_SCHEDULE'],
    failureLine: 'oil service due (interval km or months, whichever first)',
    timing: { kind: 'predictive' },
  },
};
