import { type Risk, riskRank } from '#app/maintenance/vocabulary';

export { riskRank };

export function worstRisk(risks: Iterable<Risk>): Risk | null {
  let worst: Risk | null = null;
  for (const risk of risks) if (worst === null || riskRank(risk) > riskRank(worst)) worst = risk;
  return worst;
}

export interface Rankable {
  component: string;
  risk: Risk;
  health: number;
  dueAt: Date | string | null;
}

/**
 * Worst first: higher risk, then lower health, then the earlier due date (none last), then by name so
 * the order is stable between calls.
 */
export function compareWorstFirst(a: Rankable, b: Rankable): number {
  return riskRank(b.risk) - riskRank(a.risk) || a.health - b.health || dueTime(a.dueAt) - dueTime(b.dueAt) || a.component.localeCompare(b.component);
}

function dueTime(dueAt: Date | string | null): number {
  return dueAt === null ? Number.POSITIVE_INFINITY : new Date(dueAt).getTime();
}
