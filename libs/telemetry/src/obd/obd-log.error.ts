import type { ObdColumnReport } from './obd-column.report.js';

/**
 * A file that is not one of the OBD-II log formats we import, is missing a column we need, or has a column
 * we map but cannot read. Carries the per-column report when the header could be read, so the caller can
 * show which column failed and how many of its cells.
 */
export class ObdLogFormatError extends Error {
  constructor(
    message: string,
    readonly columns: readonly ObdColumnReport[] = [],
  ) {
    super(message);
    this.name = 'ObdLogFormatError';
  }
}
