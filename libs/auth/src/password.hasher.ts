import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';

/** bcrypt cost: about 70 ms per hash here, slow enough for stolen hashes, fast enough for a login. */
export const PASSWORD_HASH_COST = 10;

export function hashPassword(plain: string): Promise<string> {
  return bcrypt.hash(plain, PASSWORD_HASH_COST);
}

export function verifyPassword(plain: string, hash: string): Promise<boolean> {
  return bcrypt.compare(plain, hash);
}

/** A random password to hand out once (e.g. a new owner's first login): 16 URL-safe characters. */
export function generateInitialPassword(): string {
  return randomBytes(12).toString('base64url');
}
