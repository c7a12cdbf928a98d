import { randomBytes } from 'node:crypto';
import type { Environment } from './sections/core.section.js';

/** Shown with every refused secret: a command that makes a good one. */
export const HOW_TO_MAKE_A_SECRET =
  'make one with `openssl rand -base64 48` and pass it in the environment (`npm start` keeps a generated one in its state folder)';

/** HS256 keys shorter than this can be brute-forced from a single token offline. */
export const MIN_SECRET_LENGTH = 32;

/**
 * Secrets this project has shipped as defaults (libs/config, docker-compose.yml). They are public, so a token
 * signed with one is a forgery whatever the mode: refused in development and tests too, not just production.
 */
export const KNOWN_DEFAULT_SECRETS: ReadonlySet<string> = new Set(['dev-only-secret-change-me-in-production', 'change-me-please-at-least-16-chars']);

export const KNOWN_DEFAULT_DATABASE_PASSWORDS: ReadonlySet<string> = new Set(['carhealth', 'postgres', 'password']);

/** Why a secret cannot be used, or undefined when it can. Missing is allowed outside production (see developmentSecret). */
export function secretProblem(secret: string | undefined, mode: Environment['NODE_ENV']): string | undefined {
  if (secret === undefined || secret === '') {
    return mode === 'production' ? `is required in production: ${HOW_TO_MAKE_A_SECRET}` : undefined;
  }
  if (KNOWN_DEFAULT_SECRETS.has(secret) || /change-?me/i.test(secret)) {
    return `is a published default, so anyone can sign tokens with it: ${HOW_TO_MAKE_A_SECRET}`;
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    return `must be at least ${MIN_SECRET_LENGTH} characters (got ${secret.length}): ${HOW_TO_MAKE_A_SECRET}`;
  }
  // A long run of one character or a short repeated word is as guessable as a short secret.
  if (new Set(secret).size < 8) {
    return `has fewer than 8 distinct characters: ${HOW_TO_MAKE_A_SECRET}`;
  }
  return undefined;
}

export function passwordOf(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password === '' ? undefined : decodeURIComponent(password);
  } catch {
    return undefined;
  }
}

/**
 * Outside production, a process started without JWT_SECRET signs with a random key of its own: tokens then
 * end with the process, which is harmless in development, and no guessable key exists. One per process, so
 * every module that loads the config agrees. `npm start` and `npm test` keep a generated one in the state folder.
 */
let developmentSecret: string | undefined;
export function processLocalSecret(): string {
  developmentSecret ??= randomBytes(48).toString('base64url');
  return developmentSecret;
}
