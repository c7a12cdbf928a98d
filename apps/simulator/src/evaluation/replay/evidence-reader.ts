import type { EvidenceValue } from '#app/maintenance';

/** A number deep inside a model's evidence, or null when the path is missing or not numeric. */
export function evidenceNumber(evidence: Record<string, EvidenceValue>, path: readonly string[]): number | null {
  let node: EvidenceValue | undefined = evidence;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return null;
    node = node[key];
  }
  return typeof node === 'number' && Number.isFinite(node) ? node : null;
}
