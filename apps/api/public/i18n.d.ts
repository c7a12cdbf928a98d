// Types of i18n.js for the Node specs and for the modules that import it (tsconfig.json has no allowJs;
// tsconfig.frontend.json checks the .js itself against its JSDoc).
type Table = Record<string, string | Record<string, string>>;
type Values = Record<string, string | number>;
/** t('key') or t('key', { name: value }): `{name}` marks are filled from the values. */
export type Translate = (key: string, values?: Values) => string;
export const VOCABULARY: {
  en: { risk: Record<string, string>; component: Record<string, string> };
  zh: { risk: Record<string, string>; component: Record<string, string> };
};
export const TEXT: { en: Table; zh: Table };
export const CHART_TEXT: { en: Table; zh: Table };
export function createTranslator<G extends string>(
  tables: Record<string, Table>,
  lang: string,
  groups: readonly G[],
): Translate & Record<G, Translate>;
export function translator(lang: string): Translate & Record<'risk' | 'component' | 'deviceState', Translate>;
export function chartTranslator(lang: string): Translate & Record<'risk' | 'component', Translate>;
