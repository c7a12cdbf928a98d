import { Injectable } from '@nestjs/common';
import type { Prisma } from './generated/prisma/client.js';
import { PrismaService } from './prisma.service.js';

/** An open database transaction, handed from a service to the repositories that take part in it. */
export type Transaction = Prisma.TransactionClient;

/**
 * Opens a transaction for a service whose work spans several repositories (a reminder booked and its
 * appointment created), so the service orders the steps without touching Prisma itself.
 */
@Injectable()
export class TransactionRunner {
  constructor(private readonly prisma: PrismaService) {}

  run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(work);
  }
}
