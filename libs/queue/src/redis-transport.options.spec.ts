import { redisOptionsFromUrl } from './redis-transport.options.js';

describe(redisOptionsFromUrl.name, () => {
  it('reads host, port and database', () => {
    expect(redisOptionsFromUrl('redis://127.0.0.1:6380/12')).toEqual({ host: '127.0.0.1', port: 6380, db: 12 });
  });

  it('defaults the port, leaves the database unset, and decodes a login', () => {
    expect(redisOptionsFromUrl('redis://app:p%40ss@cache.internal')).toEqual({
      host: 'cache.internal',
      port: 6379,
      username: 'app',
      password: 'p@ss',
    });
  });

  it('asks for TLS with rediss:// and unwraps an IPv6 address', () => {
    expect(redisOptionsFromUrl('rediss://:secret@[::1]:6390/0')).toEqual({ host: '::1', port: 6390, db: 0, password: 'secret', tls: {} });
  });
});
