import { BatchFailedError, retryDelayMs } from '../source.js';
import { SourceError } from '../source_error.js';
import type { FileContext } from './file_context.js';
import type { TrackedFile } from './tracked_file.js';

/** One round of reading the open files. */
export interface ReadRound {
  /** Some file has more to read now (it was cut short to let the others have their turn). */
  more: boolean;
  /** Some file handed lines on. */
  progressed: boolean;
  /** A failed batch is due to be read again in this many milliseconds. */
  retryInMs: number | undefined;
}

/**
 * Reads the open files in turn. A file is read only when its last stat says it grew (an idle file
 * costs no read), and a file whose batch failed is read again from that batch after a backoff.
 * All files share one read buffer: reads happen one at a time.
 */
export class FileReader {
  private readonly buffer: Buffer;

  constructor(private readonly context: FileContext) {
    this.buffer = Buffer.allocUnsafe(context.options.readBufferBytes);
  }

  async readOpen(batchesPerFile: number): Promise<ReadRound> {
    const { context } = this;
    const round: ReadRound = { more: false, progressed: false, retryInMs: undefined };
    for (const file of context.files.openFiles()) {
      if (context.isStopping) return { ...round, more: false };
      const now = Date.now();
      if (file.retryAtMs > now) {
        round.retryInMs = Math.min(round.retryInMs ?? Infinity, file.retryAtMs - now);
        continue;
      }
      const before = file.tailer.position;
      let reachedEnd = true;
      if (file.size > before || file.failures > 0) {
        try {
          reachedEnd = await file.tailer.read(context.emitter(file.fileId, () => file.path), batchesPerFile, () => context.isStopping, this.buffer);
          file.failures = 0;
        } catch (error) {
          if (error instanceof BatchFailedError) {
            this.retryLater(file, error);
            round.retryInMs = Math.min(round.retryInMs ?? Infinity, file.retryAtMs - Date.now());
            continue;
          }
          context.warnOnce('read', file.path, new SourceError(`read ${file.path}: ${(error as Error).message}`, file.path, { cause: error }));
          await context.files.release(file);
          continue;
        }
        // What was read tells the size at least as well as the last stat.
        file.size = Math.max(file.size, file.tailer.position);
      }
      if (!reachedEnd) round.more = true;
      if (file.tailer.position !== before) round.progressed = true;
      if (!reachedEnd || file.tailer.position !== before) file.idleSinceMs = undefined;
      else file.idleSinceMs ??= now;
      // A rotated-away file is finished once deleted, or once it stopped growing for a while: a
      // writer may append to the old file until it reopens its log.
      const idleMs = file.idleSinceMs === undefined ? -1 : now - file.idleSinceMs;
      if (file.rotated && idleMs >= 0 && (file.deleted || idleMs >= context.options.rotateWaitMs) && !context.options.once) {
        await this.finish(file);
      }
    }
    return round;
  }

  /** Hands on the unterminated last line of a file that will not grow, and closes it. */
  async finish(file: TrackedFile): Promise<void> {
    const { context } = this;
    try {
      await file.tailer.finish(context.emitter(file.fileId, () => file.path));
    } catch (error) {
      if (!(error instanceof BatchFailedError)) throw error;
      this.retryLater(file, error);
      return;
    }
    if (context.isStopping) return;
    context.committer.update(file.fileId, { finished: true });
    const stats = await file.tailer.fh.stat().catch(() => undefined);
    if (stats) context.files.markFinished(file.key, { fileId: file.fileId, size: stats.size, mtimeMs: stats.mtimeMs });
    await context.files.release(file);
  }

  /** The failed batch and what followed it are read again from its first line, after a backoff. */
  private retryLater(file: TrackedFile, error: BatchFailedError): void {
    const { options } = this.context;
    file.tailer.rewind(error.offset);
    file.retryAtMs = Date.now() + retryDelayMs(file.failures, options.retryInitialMs, options.retryMaxMs);
    file.failures++;
    this.context.warnOnce('batch', file.path, error);
  }
}
