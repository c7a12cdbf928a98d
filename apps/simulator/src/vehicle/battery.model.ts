import type { SeededRandom } from './seeded-random.js';

const CHARGING_V = 14.1;
const RESTING_V = 12.6;
/** Right after the alternator stops, surface charge holds the battery a few tenths above rest. */
const SURFACE_CHARGE_V = 0.35;
const SURFACE_CHARGE_TAU_S = 1200;
/** The starter motor pulls a healthy battery down to ~9.5-10.5 V for a second or two. */
export const CRANKING_S = 2;

/** Battery / control-module voltage: charging while running, resting when parked, dip at cranking. */
export function batteryVoltage(engineRunning: boolean, sinceStartS: number, sinceStopS: number, speedKph: number, random: SeededRandom): number {
  if (engineRunning) {
    if (sinceStartS < CRANKING_S) return 9.6 + 0.9 * (sinceStartS / CRANKING_S) + random.normal(0, 0.1);
    // At idle the alternator turns slowly and the voltage sags a little.
    return CHARGING_V - (speedKph < 3 ? 0.15 : 0) + random.normal(0, 0.04);
  }
  return RESTING_V + SURFACE_CHARGE_V * Math.exp(-sinceStopS / SURFACE_CHARGE_TAU_S) + random.normal(0, 0.01);
}
