import { Injectable } from '@nestjs/common';
import { Prisma } from './generated/prisma/client.js';
import { PrismaService } from './prisma.service.js';

/** An open database transaction, handed from a service to the repositories that take part in it. */
export type Transaction = Prisma.TransactionClient;

/** Tries of a transaction that Postgres aborted as a deadlock victim or a serialization failure. */
const ATTEMPTS = 3;
/** Postgres's deadlock_detected and serialization_failure. */
const RETRYABLE_SQLSTATES = new Set(['40P01', '40001']);

/**
 * Postgres ended the transaction to break a deadlock or a serialization conflict: nothing of it was written, and
 * running it again is what Postgres asks of the client. Prisma reports it as P2034 from its own queries and as
 * P2010 with the SQLSTATE in `meta.code` from raw ones.
 */
export function isRetryableTransactionError(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === 'P2034') return true;
  const sqlState = (error.meta as { code?: unknown } | undefined)?.code;
  return error.code === 'P2010' && typeof sqlState === 'string' && RETRYABLE_SQLSTATES.has(sqlState);
}

/**
 * Opens a transaction for a service whose work spans several repositories (a reminder booked and its
 * appointment created), so the service orders the steps without touching Prisma itself. A transaction Postgres
 * aborts as a deadlock victim is run again (up to ATTEMPTS): an owner's "done" locks the reminder and then the
 * vehicle, while the worker's save of a score writes the vehicle's worst risk, so the two can meet in either order
 * (seen in a CI rehearsal as a 500). The work must only touch the database: what goes out after the commit (events,
 * rescore requests) is sent by the caller once `run` returns.
 */
@Injectable()
export class TransactionRunner {
  constructor(private readonly prisma: PrismaService) {}

  async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.prisma.$transaction(work);
      } catch (error) {
        if (attempt >= ATTEMPTS || !isRetryableTransactionError(error)) throw error;
      }
    }
  }
}
