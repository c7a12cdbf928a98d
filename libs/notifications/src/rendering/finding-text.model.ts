import type { Risk } from './reminder-content.model.js';

/** One finding in an owner's words: what it is, the evidence behind it, what to do. */
export interface FindingText {
  headline: string;
  why: string;
  action: string;
}

/** Typed access to a finding's params: a missing or mistyped value reads as undefined, never as "NaN". */
export class FindingParams {
  constructor(private readonly params: Record<string, string | number>) {}

  num(key: string): number | undefined {
    const value = this.params[key];
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    return Number.isFinite(n) ? n : undefined;
  }

  str(key: string): string | undefined {
    const value = this.params[key];
    return value === undefined ? undefined : String(value);
  }
}

export interface FindingTextInput {
  params: FindingParams;
  subject: string;
  risk: Risk;
}

export type FindingTextCatalog = Record<string, (input: FindingTextInput) => FindingText>;
