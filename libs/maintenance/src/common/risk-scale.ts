// Ordering helpers for the Risk scale, and the health ceiling each risk implies, so that health and
// risk never contradict each other (a CRITICAL component cannot show 90 % health).
import { riskRank, type Risk } from '../vocabulary/risk.js';

export { maxRisk, riskRank } from '../vocabulary/risk.js';

export function capRisk(risk: Risk, cap: Risk): Risk {
  return riskRank(risk) > riskRank(cap) ? cap : risk;
}

const HEALTH_CEILING: Record<Risk, number> = { OK: 100, WATCH: 85, SOON: 60, URGENT: 30, CRITICAL: 10 };

/** Health in 0..100, no higher than the risk allows. */
export function healthFor(risk: Risk, modelHealth: number): number {
  const bounded = Math.max(0, Math.min(100, modelHealth));
  return Math.round(Math.min(bounded, HEALTH_CEILING[risk]));
}
