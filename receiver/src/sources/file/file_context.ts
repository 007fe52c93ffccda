import type { Committer } from '../../checkpoint/committer.js';
import type { EmitLines } from '../batching.js';
import type { FileSet } from './file_set.js';
import type { ResolvedFileSourceOptions } from './file_source_options.js';

/**
 * What the parts of the file source (scanner, identifier, gzip reader) share: the options, the
 * per-file state, the committer, and how to report a problem and hand lines on. They hold this,
 * never the source itself.
 */
export interface FileContext {
  readonly options: ResolvedFileSourceOptions;
  readonly files: FileSet;
  readonly committer: Committer;
  /** Reports a problem once per file and kind of problem, not on every poll. */
  warnOnce(reason: string, path: string, error: unknown): void;
  /** A path that could be read again after a problem: its next problem is reported again. */
  readable(path: string): void;
  /** Hands lines of `fileId` (read at `path()`) to the pipeline, awaiting it (backpressure). */
  emitter(fileId: string, path: () => string): EmitLines;
  readonly isStopping: boolean;
}
