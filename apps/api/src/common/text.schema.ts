import { z } from 'zod';

/**
 * What a Postgres UTF-8 text (or jsonb) value cannot hold: NUL, which text refuses outright, and a UTF-16
 * surrogate without its pair, which JSON can carry (`"\ud800"`) but UTF-8 cannot encode (jsonb refuses
 * it; text would silently store U+FFFD instead of what was sent). Either reached the database as a 500.
 */
// eslint-disable-next-line no-control-regex -- NUL is the point: Postgres text cannot store it.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSTORABLE_TEXT_MESSAGE = 'must not contain a NUL character or an unpaired UTF-16 surrogate';

export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/**
 * Every string a request carries is built from here: `text()` for free text, `storable(z.url())` for a
 * string format. The check comes first and aborts, so the client gets this one reason under the field's
 * path rather than a length or format complaint about bytes it cannot see. The OpenAPI-generated e2e test
 * (test/api-input) sends NUL and a lone surrogate to every string field, so a field built without it fails.
 */
export function storable<S extends z.ZodString | z.ZodStringFormat>(schema: S): S {
  // refine returns its receiver's own type; TypeScript only sees the union for a type parameter.
  return schema.refine(isStorableText, { error: UNSTORABLE_TEXT_MESSAGE, abort: true }) as S;
}

/** A free-text string field (trim, lengths and patterns chain after it). */
export function text(): z.ZodString {
  return storable(z.string());
}
