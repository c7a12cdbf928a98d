import type { RejectionReason } from './rejection.model.js';

/** One sample broke the contract; caught per sample so the rest of the batch is kept. */
export class SampleRejectedError extends Error {
  constructor(
    readonly reason: RejectionReason,
    detail: string,
  ) {
    super(detail);
    this.name = 'SampleRejectedError';
  }
}
