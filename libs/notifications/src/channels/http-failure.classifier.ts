import type { DeliveryFailure, DeliveryResult } from './notification-channel.model.js';

const MAX_DETAIL = 300;

/**
 * HTTP status to delivery result: 2xx delivered; 404/410 gone; 408/429/5xx retryable; other 4xx final.
 * A retryable answer's Retry-After (RFC 9110 10.2.3) is kept, so the next attempt does not come sooner.
 */
export function classifyHttpStatus(statusCode: number, body: string, retryAfter?: string | null, nowMs: number = Date.now()): DeliveryResult {
  if (statusCode >= 200 && statusCode < 300) return { ok: true, statusCode };
  const detail = `HTTP ${statusCode}${body ? `: ${body.slice(0, MAX_DETAIL)}` : ''}`;
  if (statusCode === 404 || statusCode === 410) return { ok: false, retryable: false, gone: true, statusCode, detail };
  const retryable = statusCode === 408 || statusCode === 429 || statusCode >= 500;
  const retryAfterMs = retryable ? parseRetryAfter(retryAfter, nowMs) : undefined;
  return { ok: false, retryable, statusCode, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), detail };
}

/** Retry-After is either delay-seconds or an HTTP-date; anything else is ignored rather than trusted. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP-date always names the weekday and GMT ("Sun, 06 Nov 1994 08:49:37 GMT" and the obsolete forms).
  if (!text.endsWith('GMT')) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** A request that never got a response (refused, reset, DNS, timeout): the peer may be back later. */
export function networkFailure(error: unknown): DeliveryFailure {
  return { ok: false, retryable: true, detail: describeError(error) };
}

interface ErrorLike {
  name: string;
  message: string;
  cause?: unknown;
}

// Duck-typed: errors from Node's fetch and sockets may come from another realm (jest's VM contexts).
function isErrorLike(value: unknown): value is ErrorLike {
  return (
    typeof value === 'object' && value !== null && typeof (value as ErrorLike).message === 'string' && typeof (value as ErrorLike).name === 'string'
  );
}

export function describeError(error: unknown): string {
  if (isErrorLike(error)) {
    // fetch() wraps the socket error in `cause`: the cause is what an operator needs to read.
    const cause = isErrorLike(error.cause) ? `: ${error.cause.message}` : '';
    const name = error.name === 'TimeoutError' ? 'timeout' : error.name;
    return `${name}: ${error.message}${cause}`.slice(0, MAX_DETAIL);
  }
  return String(error).slice(0, MAX_DETAIL);
}
