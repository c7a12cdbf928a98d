import { Prisma } from './generated/prisma/client.js';
import { isRetryableTransactionError } from './transaction.runner.js';

const known = (code: string, meta?: Record<string, unknown>): Prisma.PrismaClientKnownRequestError =>
  new Prisma.PrismaClientKnownRequestError('failed', { code, clientVersion: 'test', ...(meta === undefined ? {} : { meta }) });

describe(isRetryableTransactionError.name, () => {
  it('retries what Postgres aborted to break a deadlock or a serialization conflict', () => {
    expect(isRetryableTransactionError(known('P2034'))).toBe(true);
    expect(isRetryableTransactionError(known('P2010', { code: '40P01' }))).toBe(true);
    expect(isRetryableTransactionError(known('P2010', { code: '40001' }))).toBe(true);
  });

  it('does not retry anything else', () => {
    expect(isRetryableTransactionError(known('P2010', { code: '23505' }))).toBe(false);
    expect(isRetryableTransactionError(known('P2002'))).toBe(false);
    expect(isRetryableTransactionError(known('P2010'))).toBe(false);
    expect(isRetryableTransactionError(new Error('40P01'))).toBe(false);
  });
});
