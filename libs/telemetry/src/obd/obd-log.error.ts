/** A file that is not one of the OBD-II log formats we import, or is missing a column we need. */
export class ObdLogFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ObdLogFormatError';
  }
}
