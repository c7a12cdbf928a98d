/** The risk scale, mildest first (the order of the Postgres `Risk` enum too). */
export const RISKS = ['OK', 'WATCH', 'SOON', 'URGENT', 'CRITICAL'] as const;
export type Risk = (typeof RISKS)[number];

/** Position of a risk on the scale OK < WATCH < SOON < URGENT < CRITICAL. */
export function riskRank(risk: Risk): number {
  return RISKS.indexOf(risk);
}

/** The worst of the given risks; OK when none. */
export function maxRisk(...risks: Risk[]): Risk {
  let worst: Risk = 'OK';
  for (const risk of risks) if (riskRank(risk) > riskRank(worst)) worst = risk;
  return worst;
}
