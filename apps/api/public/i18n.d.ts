// Types of i18n.js for the Node specs (tsconfig.json has no allowJs; tsconfig.frontend.json checks the .js itself).
type Table = Record<string, string | Record<string, string>>;
export const TEXT: { en: Table; zh: Table };
export function translator(lang: string): ((key: string) => string) & {
  risk(key: string): string;
  component(key: string): string;
  deviceState(key: string): string;
};
