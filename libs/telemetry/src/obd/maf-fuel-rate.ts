/** Stoichiometric air-fuel mass ratio of petrol. */
export const PETROL_STOICHIOMETRIC_AFR = 14.7;
/** Density of petrol in g/L. */
export const PETROL_DENSITY_G_PER_L = 745;

/**
 * Fuel flow in L/h from the mass air flow, assuming a petrol engine running at stoichiometry.
 * Closed-loop engines sit near lambda 1 most of the time; enrichment under full load makes this an
 * underestimate there, which is why callers mark the value as estimated.
 */
export function estimateFuelRateLphFromMaf(mafGps: number): number {
  return (mafGps * 3600) / (PETROL_STOICHIOMETRIC_AFR * PETROL_DENSITY_G_PER_L);
}
