/**
 * What kind of failure a domain error is, in the caller's terms. The API's exception filter maps each kind
 * to one HTTP status, so a feature names its failure without knowing HTTP, and the filter knows no feature.
 */
export type DomainErrorKind =
  | 'invalid' // 400: the request cannot be carried out as given
  | 'unauthenticated' // 401: no valid credentials
  | 'forbidden' // 403: known caller, not allowed
  | 'not_found' // 404: absent, or outside the caller's scope (existence is not revealed)
  | 'conflict' // 409: the current state does not allow it
  | 'rate_limited' // 429: over a limit, retry later
  | 'unavailable'; // 503: a dependency failed after the change was saved; retrying is safe

/**
 * Base of every failure a caller can be told about. Anything thrown that is not a DomainError is a bug or an
 * outage: the filter logs it and answers 500 without details.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  /** Extra fields of the error response body (a validation error's `issues`); none by default. */
  details(): Readonly<Record<string, unknown>> {
    return {};
  }

  /** Response headers the caller needs to act on the error (a 429's Retry-After); none by default. */
  headers(): Readonly<Record<string, string>> {
    return {};
  }
}
