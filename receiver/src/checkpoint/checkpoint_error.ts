/**
 * A checkpoint could not be read or written. The message starts with `checkpoint:`, names the
 * operation and the path (`checkpoint: rename /data/checkpoints.json.tmp: EACCES`).
 */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  /** The path the failed operation was about. */
  readonly path: string;

  constructor(message: string, path: string, options?: { cause?: unknown }) {
    super(`checkpoint: ${message}`, options);
    this.path = path;
  }
}
