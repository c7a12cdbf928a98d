import { classifyHttpStatus, networkFailure, parseRetryAfter } from './http-failure.classifier.js';

describe(classifyHttpStatus.name, () => {
  it('classifies each status family', () => {
    expect(classifyHttpStatus(201, '')).toEqual({ ok: true, statusCode: 201 });
    expect(classifyHttpStatus(410, 'expired')).toEqual({ ok: false, retryable: false, gone: true, statusCode: 410, detail: 'HTTP 410: expired' });
    expect(classifyHttpStatus(404, '')).toMatchObject({ ok: false, retryable: false, gone: true });
    expect(classifyHttpStatus(429, '')).toMatchObject({ ok: false, retryable: true });
    expect(classifyHttpStatus(503, '')).toMatchObject({ ok: false, retryable: true });
    expect(classifyHttpStatus(400, 'bad')).toEqual({ ok: false, retryable: false, statusCode: 400, detail: 'HTTP 400: bad' });
    expect(classifyHttpStatus(413, '')).not.toHaveProperty('gone');
  });

  it("keeps a retryable answer's Retry-After, and ignores it on answers that are not retried", () => {
    const now = Date.parse('2026-11-27T08:00:00Z');
    expect(classifyHttpStatus(429, 'slow down', '120', now)).toEqual({
      ok: false,
      retryable: true,
      statusCode: 429,
      retryAfterMs: 120_000,
      detail: 'HTTP 429: slow down',
    });
    expect(classifyHttpStatus(503, '', 'Fri, 27 Nov 2026 09:00:00 GMT', now)).toMatchObject({ retryable: true, retryAfterMs: 3_600_000 });
    expect(classifyHttpStatus(503, '', null, now)).not.toHaveProperty('retryAfterMs');
    expect(classifyHttpStatus(400, '', '120', now)).not.toHaveProperty('retryAfterMs');
  });
});

describe(parseRetryAfter.name, () => {
  const now = Date.parse('2026-11-27T08:00:00Z');

  it('reads delay-seconds and HTTP-dates (a date in the past means now)', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 30 ', now)).toBe(30_000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 08:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 08:00:00 GMT', now)).toBe(0);
  });

  it('ignores what is neither', () => {
    for (const value of [undefined, null, '', '-5', '1.5', 'soon', '2026-11-27T09:00:00Z', 'Fri, 27 Nov 2026 09:00:00']) {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    }
  });
});

describe(networkFailure.name, () => {
  it('is retryable and names the socket error behind fetch', () => {
    const error = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    expect(networkFailure(error)).toEqual({ ok: false, retryable: true, detail: 'TypeError: fetch failed: connect ECONNREFUSED 127.0.0.1:9' });
  });
});
