import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';

/**
 * zxcvbn's 0-4 scale; 3 is "safely unguessable" (about 10^8 guesses and up), what a password protecting
 * a car's location history and an owner's contact details should take at least.
 */
export const MIN_PASSWORD_SCORE = 3;

/** Who the password is for: their e-mail and name are the first things a guesser tries. */
export interface PasswordOwner {
  email: string;
  name?: string | null;
}

// Built once: the dictionaries are large and the factory keeps them ranked.
let estimator: ZxcvbnFactory | undefined;
const strengthEstimator = () =>
  (estimator ??= new ZxcvbnFactory({
    dictionary: { ...commonDictionary, ...englishDictionary },
    graphs: adjacencyGraphs,
    translations,
  }));

/** The words a guesser of this user's password would try first, for zxcvbn to penalise. */
function personalWords({ email, name }: PasswordOwner): string[] {
  const [localPart = email, domain = ''] = email.toLowerCase().split('@');
  const nameParts = (name ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((part) => part.length > 1);
  const pieces = [...localPart.split(/[._+-]/), ...domain.split('.'), ...nameParts].filter((part) => part.length > 1);
  // Joined too: `zhangwei` is as guessable as `zhang wei`.
  return [email, localPart, localPart.replace(/[._+-]/g, ''), nameParts.join(''), ...pieces, 'carhealth', 'car health'];
}

/**
 * Why this password is too easy to guess for this user (zxcvbn's warning and suggestions, in English),
 * or null when it is strong enough. Pure: the same answer for the API, the seed and the tests.
 */
export function passwordWeakness(password: string, owner: PasswordOwner): string | null {
  if (password.trim().toLowerCase() === owner.email.trim().toLowerCase()) return 'must not be your e-mail address';
  const { score, feedback } = strengthEstimator().check(password, personalWords(owner));
  if (score >= MIN_PASSWORD_SCORE) return null;
  const advice = [feedback.warning, ...feedback.suggestions].filter((line): line is string => Boolean(line));
  return ['is too easy to guess.', ...advice].join(' ');
}
