// Rounding for evidence, params and messages: one definition, so two models never show the same
// number with different digits by accident (each caller still chooses its digits).
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function roundOrNull(value: number | null, digits = 2): number | null {
  return value === null ? null : round(value, digits);
}
