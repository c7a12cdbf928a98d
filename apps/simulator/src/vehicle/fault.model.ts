import type { WheelPosition } from '#app/telemetry';

export const FAULT_KINDS = [
  'coolant-drift',
  'thermostat-stuck-open',
  'fuel-economy-loss',
  'fast-tire-wear',
  'uneven-tire-wear',
  'slow-leak',
  'coolant-step',
  'overheat-spikes',
  'puncture',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  kind: FaultKind;
  /** Days after the simulation epoch (the start of backfill, or of the live run) when the fault begins. */
  onsetDays: number;
  /** Severity in the kind's unit (see FAULT_DEFAULT_RATES). */
  rate: number;
}

/**
 * Default severity per kind: coolant set-point drift in C/day; fuel-economy loss in %/week; wear
 * multiplier for fast (all wheels) and uneven (front-left only) wear; leak in kPa/day on the rear-right
 * wheel; a sudden coolant step in C; overheat spikes in spikes per driving hour added per day since
 * onset; a puncture in the cold kPa the front-left tyre keeps from its onset on (a nail: most of the air is gone
 * within the minute, what is left stays until the repair). A stuck-open thermostat has no rate.
 */
export const FAULT_DEFAULT_RATES: Record<FaultKind, number> = {
  'coolant-drift': 0.4,
  'thermostat-stuck-open': 1,
  'fuel-economy-loss': 3,
  'fast-tire-wear': 4,
  'uneven-tire-wear': 3,
  'slow-leak': 4,
  'coolant-step': 10,
  'overheat-spikes': 0.05,
  puncture: 125,
};

/**
 * Overheat spikes ramp up until the cooling system fails for good (a fan or pump that finally quits):
 * from this many spikes per driving hour on, the engine regulates this far above its set-point.
 */
export const SPIKES_FAIL_FOR_GOOD_PER_HOUR = 2;
export const FAILED_COOLING_SHIFT_C = 16;

export const UNEVEN_WEAR_WHEEL: WheelPosition = 'FL';
export const LEAKING_WHEEL: WheelPosition = 'RR';
export const PUNCTURED_WHEEL: WheelPosition = 'FL';

const DAY_MS = 86_400_000;

/** What the active faults do to the physics at one instant. Healthy: all neutral. */
export interface FaultEffects {
  setPointShiftC: number;
  thermostatStuckOpen: boolean;
  fuelFactor: number;
  wearFactor: Record<WheelPosition, number>;
  leakKpa: Record<WheelPosition, number>;
  /** A punctured tyre's cold pressure (kPa), whatever it was inflated to; absent: not punctured. */
  puncturedKpa: Partial<Record<WheelPosition, number>>;
  /** Brief excursions to 105-110 C (a fan that sometimes fails to start), per driving hour. */
  spikesPerDrivingHour: number;
}

export function faultEffects(faults: readonly FaultSpec[], epochMs: number, nowMs: number): FaultEffects {
  const effects: FaultEffects = {
    setPointShiftC: 0,
    thermostatStuckOpen: false,
    fuelFactor: 1,
    wearFactor: { FL: 1, FR: 1, RL: 1, RR: 1 },
    leakKpa: { FL: 0, FR: 0, RL: 0, RR: 0 },
    puncturedKpa: {},
    spikesPerDrivingHour: 0,
  };
  for (const fault of faults) {
    const days = (nowMs - epochMs) / DAY_MS - fault.onsetDays;
    if (days < 0) continue;
    switch (fault.kind) {
      case 'coolant-drift':
        effects.setPointShiftC += fault.rate * days;
        break;
      case 'thermostat-stuck-open':
        effects.thermostatStuckOpen = true;
        break;
      case 'fuel-economy-loss':
        effects.fuelFactor *= 1 + (fault.rate / 100) * (days / 7);
        break;
      case 'fast-tire-wear':
        for (const wheel of ['FL', 'FR', 'RL', 'RR'] as const) effects.wearFactor[wheel] *= fault.rate;
        break;
      case 'uneven-tire-wear':
        effects.wearFactor[UNEVEN_WEAR_WHEEL] *= fault.rate;
        break;
      case 'slow-leak':
        effects.leakKpa[LEAKING_WHEEL] += fault.rate * days;
        break;
      case 'coolant-step':
        effects.setPointShiftC += fault.rate;
        break;
      case 'puncture':
        effects.puncturedKpa[PUNCTURED_WHEEL] = Math.min(effects.puncturedKpa[PUNCTURED_WHEEL] ?? Infinity, fault.rate);
        break;
      case 'overheat-spikes': {
        const perHour = fault.rate * days;
        effects.spikesPerDrivingHour += perHour;
        if (perHour >= SPIKES_FAIL_FOR_GOOD_PER_HOUR) effects.setPointShiftC += FAILED_COOLING_SHIFT_C;
        break;
      }
    }
  }
  return effects;
}
