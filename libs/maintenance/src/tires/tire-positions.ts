import { riskRank } from '../common/risk-scale.js';
import type { Risk, ServiceEvent, WheelPosition } from '../maintenance-model.js';

export const WHEELS: readonly WheelPosition[] = ['FL', 'FR', 'RL', 'RR'];

const AXLE_PARTNER: Record<WheelPosition, WheelPosition> = { FL: 'FR', FR: 'FL', RL: 'RR', RR: 'RL' };
// Front-to-back on the same side: the one pattern that is safe for directional tyres too.
const DEFAULT_ROTATION: Record<WheelPosition, WheelPosition> = { FL: 'RL', RL: 'FL', FR: 'RR', RR: 'FR' };

export function axlePartner(position: WheelPosition): WheelPosition {
  return AXLE_PARTNER[position];
}

/**
 * Where the tyre mounted at `position` goes in a TIRE_ROTATION. The record does not say the pattern:
 * exactly two positions listed means those two were swapped; otherwise we assume front-to-back, same side.
 */
export function rotatedPosition(position: WheelPosition, event: ServiceEvent): WheelPosition {
  const listed = event.positions ?? [];
  if (listed.length === 2) {
    const [a, b] = listed;
    if (position === a) return b;
    if (position === b) return a;
    return position;
  }
  return DEFAULT_ROTATION[position];
}

/** Whether a per-wheel service (replacement, puncture repair) covered this wheel; none listed means all. */
export function eventCovers(event: ServiceEvent, position: WheelPosition): boolean {
  return event.positions === undefined || event.positions.length === 0 || event.positions.includes(position);
}

export function riskAtLeast(risk: Risk, floor: Risk): boolean {
  return riskRank(risk) >= riskRank(floor);
}
