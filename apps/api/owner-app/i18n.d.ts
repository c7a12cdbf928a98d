// Types of i18n.js for the Node specs.
type Table = Record<string, string | Record<string, string>>;
export const TEXT: { en: Table; zh: Table };
export function translator(lang: string): ((key: string) => string) & {
  risk(key: string): string;
  status(key: string): string;
  component(key: string): string;
  channel(key: string): string;
};
