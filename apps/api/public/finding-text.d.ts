// Types of finding-text.js for the Node spec (tsconfig.json has no allowJs; tsconfig.frontend.json checks the .js
// itself against its JSDoc).
export const STAFF_FINDING_CODES: string[];
export function staffFindingText(finding: unknown, lang: string): string;
