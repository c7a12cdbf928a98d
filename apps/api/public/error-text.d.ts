// Types of error-text.js for the Node spec (tsconfig.json has no allowJs; tsconfig.frontend.json checks the .js
// itself against its JSDoc).
export function apiErrorText(status: number, payload: unknown, lang: string): string | undefined;
