import { DomainError } from '#app/errors';
import type { ObdColumnReport } from '#app/telemetry';

/** An upload that is not a log we read, or has a column we map but cannot read: 400 with the reason and the columns. */
export class ObdLogUnreadableError extends DomainError {
  readonly kind = 'invalid';

  constructor(
    reason: string,
    readonly columns: readonly ObdColumnReport[] = [],
  ) {
    super(reason);
    this.name = 'ObdLogUnreadableError';
  }

  override details(): { columns: readonly ObdColumnReport[] } {
    return { columns: this.columns };
  }
}
