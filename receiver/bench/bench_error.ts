/** A benchmark step that could not run or whose result is wrong; the prefix names the step. */
export class BenchError extends Error {
  override readonly name = 'BenchError';

  constructor(step: string, message: string, options?: ErrorOptions) {
    super(`bench: ${step}: ${message}`, options);
  }
}
