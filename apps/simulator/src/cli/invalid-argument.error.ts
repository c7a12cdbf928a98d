/** A command-line flag the simulator cannot use; main prints it with the usage and exits 2. */
export class InvalidArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidArgumentError';
  }
}
