import { Prisma } from './generated/prisma/client.js';

/** Whether a write failed on a unique index (Prisma's P2002): two requests racing past an "is it taken?" check. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
