/** An expected failure on the command line: printed as one clear line, exit code non-zero, no stack. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'CliError';
  }
}
