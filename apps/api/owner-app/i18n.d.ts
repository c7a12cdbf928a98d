// Types of i18n.js for the Node specs.
import type { Translate } from '../public/i18n.js';

type Table = Record<string, string | Record<string, string>>;
export const TEXT: { en: Table; zh: Table };
export function translator(lang: string): Translate & Record<'risk' | 'status' | 'component' | 'channel', Translate>;
