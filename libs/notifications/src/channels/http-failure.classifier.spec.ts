import { classifyHttpStatus, networkFailure } from './http-failure.classifier.js';

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
});

describe(networkFailure.name, () => {
  it('is retryable and names the socket error behind fetch', () => {
    const error = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    expect(networkFailure(error)).toEqual({ ok: false, retryable: true, detail: 'TypeError: fetch failed: connect ECONNREFUSED 127.0.0.1:9' });
  });
});
