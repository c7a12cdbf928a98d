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
  'coolant-step',
  'overheat-spikes',
  'slow-leak-3kpa',
] as const;
export type EvaluatedFault = (typeof EVALUATED_FAULTS)[number];

export interface FaultDefinition {
  /** Components whose SOON-or-worse risk counts as detecting this fault. */
  detectedBy: readonly ComponentName[];
  /** The failure line, in words for the report. */
  failureLine: string;
  /**
   * 'predictive': must be flagged before the failure line (lead time = line day - alert day).
   * 'reactive': the fault is the failure (a stuck thermostat); it must be flagged within `withinDays`
   * calendar days, or driving days (days the car moved, the onset day included) when `drivingDays`.
   */
  timing: { kind: 'predictive' } | { kind: 'reactive'; withinDays: number; drivingDays?: boolean };
  /** `code:subject` of a finding that names the fault correctly (e.g. uneven wear on the right wheel). */
  namedAs?: string;
}

export const FAULT_DEFINITIONS: Record<EvaluatedFault, FaultDefinition> = {
  'coolant-drift': {
    detectedBy: ['ENGINE_COOLING'],
    failureLine: 'thermostat regulation point (warm median) reaches 105 C',
    timing: { kind: 'predictive' },
  },
  'thermostat-stuck-open': {
    // The coolant model alone: the simulated ECU sets P0128 on the first long drive, but many real
    // ECUs set it late or never, so the diagnostics model catching the code is not counted here.
    detectedBy: ['ENGINE_COOLING'],
    failureLine: 'fault onset (must be flagged within 3 driving days)',
    timing: { kind: 'reactive', withinDays: 3, drivingDays: true },
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
    namedAs: 'TIRE_UNEVEN_WEAR:FL',
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
  'coolant-step': {
    detectedBy: ['ENGINE_COOLING'],
    failureLine: 'fault onset: the regulated temperature jumps 8-13 C (must be flagged within 3 driving days)',
    timing: { kind: 'reactive', withinDays: 3, drivingDays: true },
  },
  'overheat-spikes': {
    detectedBy: ['ENGINE_COOLING'],
    failureLine: 'spikes to 105-110 C grow to 2 per driving hour, then the engine runs hot for good (warm median >= 105 C)',
    timing: { kind: 'predictive' },
  },
  'slow-leak-3kpa': {
    detectedBy: ['TIRES'],
    failureLine: 'leak onset at 3 kPa/day on the rear right (must be flagged within 5 days)',
    timing: { kind: 'reactive', withinDays: 5 },
  },
};
