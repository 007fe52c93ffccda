import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { DEFAULT_MAX_GONE_FILES } from '../../checkpoint/checkpoint_store.js';
import { SourceError } from '../source_error.js';

/** Where the source reports a file it cannot read; pino's logger fits. */
export interface SourceLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface FileSourceOptions {
  /** Files, directories (read recursively, following new files and sub-folders) or globs (`/var/log/nginx/*.log`). */
  paths: string[];
  /** Source name put on every batch. @default os.hostname() */
  source?: string;
  /** Directory of `checkpoints.json`. */
  dataDir: string;
  /** Read everything present, then finish (see `done()`). @default false */
  once?: boolean;
  /** Where to start in files never seen before that exist at start-up; files appearing later start at 0. @default 'beginning' */
  startAt?: 'beginning' | 'end';
  /** Lines longer than this are cut to it and marked truncated. @default 65536 */
  maxLineBytes?: number;
  /** Lines per batch at most. @default 4096 */
  maxBatchLines?: number;
  /** How often files are checked for new lines, new files and rotation. @default 250 */
  pollIntervalMs?: number;
  /**
   * How long a file rotated away (renamed, still present) is kept open after it stopped growing,
   * for a writer that has not reopened its log yet; then its unterminated last line is emitted.
   * @default 5000
   */
  rotateWaitMs?: number;
  /**
   * Idle files are looked at less and less often, doubling from `pollIntervalMs` up to this; a
   * change event or new lines bring it back. @default 2000
   */
  maxPollIntervalMs?: number;
  /**
   * The longest idle wait when every path is watched for change events (files and directories,
   * not globs): an append, a new file or a removal ends the wait at once, so the poll is only the
   * fallback for events the filesystem does not give. Measured with 300 idle files: 2.1 % of a
   * core with 2 s waits, 0.7 % with 10 s. @default maxPollIntervalMs when that is given, else 10000
   */
  maxPollIntervalWatchedMs?: number;
  /** Batches one file may hand on per round before the others get their turn. @default 8 */
  batchesPerTurn?: number;
  /** Bytes read from a file at a time (one buffer, shared by all files). @default 262144 */
  readBufferBytes?: number;
  /** First wait before a batch the pipeline refused is read again; it doubles per failure. @default 200 */
  retryInitialMs?: number;
  /** Longest wait between two attempts of a refused batch. @default 10000 */
  retryMaxMs?: number;
  /**
   * Checkpoints kept of files gone from every watched path (open, present and recently read files
   * never count); beyond it the longest gone are dropped, logged and counted. @default 100000
   */
  checkpointMaxGoneFiles?: number;
  /** Told when everything kept for a file id may go (it was read to its end and acknowledged). @default nothing */
  onFileForgotten?: (fileId: string) => void;
  /** Acknowledged offsets are written at most this often. @default 1000 */
  commitIntervalMs?: number;
  /** Checkpoints of files gone from every watched path for this long are dropped. @default 86_400_000 (one day) */
  checkpointRetentionMs?: number;
  /** How long `shutdown()` waits for a batch being handed on before closing anyway. @default 5000 */
  shutdownTimeoutMs?: number;
  /** Format of every file, passed on with the batches. @default undefined (detected downstream) */
  format?: string;
  /**
   * Once mode: called when every line present has been handed on, before waiting for their
   * acknowledgements, so the owner can flush its sink at once instead of at its next interval.
   * @default nothing
   */
  onAllRead?: () => void;
  /** Where unreadable files are reported, once per file and cause. @default pino to stderr */
  logger?: SourceLogger;
}

export type ResolvedFileSourceOptions = Required<Omit<FileSourceOptions, 'format' | 'onAllRead' | 'onFileForgotten'>> & {
  format: string | undefined;
  onAllRead: (() => void) | undefined;
  onFileForgotten: ((fileId: string) => void) | undefined;
};

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new SourceError(`${name}: expected a positive integer, got ${JSON.stringify(value)}`, '');
  }
  return value;
}

/** Fills in defaults and checks the values; throws a SourceError naming the option. */
export function resolveFileSourceOptions(options: FileSourceOptions): ResolvedFileSourceOptions {
  if (options.paths.length === 0) throw new SourceError('paths: expected at least one file, directory or glob, got none', '');
  if (!options.dataDir) throw new SourceError('dataDir: expected a directory for checkpoints, got none', '');
  const startAt = options.startAt ?? 'beginning';
  if (startAt !== 'beginning' && startAt !== 'end') {
    throw new SourceError(`startAt: expected "beginning" or "end", got ${JSON.stringify(startAt)}`, '');
  }
  const pollIntervalMs = positiveInteger('pollIntervalMs', options.pollIntervalMs ?? 250);
  return {
    paths: options.paths,
    source: options.source ?? hostname(),
    dataDir: resolve(options.dataDir),
    once: options.once ?? false,
    startAt,
    maxLineBytes: positiveInteger('maxLineBytes', options.maxLineBytes ?? 65536),
    maxBatchLines: positiveInteger('maxBatchLines', options.maxBatchLines ?? 4096),
    pollIntervalMs,
    maxPollIntervalMs: Math.max(pollIntervalMs, positiveInteger('maxPollIntervalMs', options.maxPollIntervalMs ?? 2000)),
    maxPollIntervalWatchedMs: Math.max(
      pollIntervalMs,
      positiveInteger('maxPollIntervalWatchedMs', options.maxPollIntervalWatchedMs ?? options.maxPollIntervalMs ?? 10_000),
    ),
    batchesPerTurn: positiveInteger('batchesPerTurn', options.batchesPerTurn ?? 8),
    readBufferBytes: positiveInteger('readBufferBytes', options.readBufferBytes ?? 256 * 1024),
    retryInitialMs: positiveInteger('retryInitialMs', options.retryInitialMs ?? 200),
    retryMaxMs: positiveInteger('retryMaxMs', options.retryMaxMs ?? 10_000),
    checkpointMaxGoneFiles: positiveInteger('checkpointMaxGoneFiles', options.checkpointMaxGoneFiles ?? DEFAULT_MAX_GONE_FILES),
    onFileForgotten: options.onFileForgotten,
    rotateWaitMs: positiveInteger('rotateWaitMs', options.rotateWaitMs ?? 5000),
    commitIntervalMs: positiveInteger('commitIntervalMs', options.commitIntervalMs ?? 1000),
    checkpointRetentionMs: positiveInteger('checkpointRetentionMs', options.checkpointRetentionMs ?? 86_400_000),
    shutdownTimeoutMs: positiveInteger('shutdownTimeoutMs', options.shutdownTimeoutMs ?? 5000),
    format: options.format,
    onAllRead: options.onAllRead,
    logger: options.logger ?? pino({ name: 'logpulse.file_source' }, pino.destination(2)),
  };
}
