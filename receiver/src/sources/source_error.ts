/** A file could not be read; the message starts with `source:` and says what was being done. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  /** The file or path pattern concerned. */
  readonly path: string;

  constructor(message: string, path: string, options?: { cause?: unknown }) {
    super(`source: ${message}`, options);
    this.path = path;
  }
}
