/**
 * A response body already serialised as the JSON of a `T`. A handler that returns one (with
 * `@Header('Content-Type', JSON_CONTENT_TYPE)`) has it sent as it is: Nest sends a string with res.send, where an
 * object would be stringified again on every request. Used where the text is shared between requests (a cached
 * page) or built by Postgres, so the API's one thread neither parses nor stringifies it.
 */
export type JsonText<T> = string & { readonly jsonOf?: T };

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export function jsonText<T>(value: T): JsonText<T> {
  return JSON.stringify(value);
}
