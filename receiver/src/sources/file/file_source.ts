import { Committer } from '../../checkpoint/committer.js';
import type { BatchHandler, RawLine } from '../../model/line_batch.js';
import type { ReceiverTelemetry } from '../../model/telemetry.js';
import { noopTelemetry } from '../../model/telemetry.js';
import type { EmitLines } from '../batching.js';
import { BatchFailedError, type Source } from '../source.js';
import type { FileContext } from './file_context.js';
import { FileIdentifier } from './file_identifier.js';
import { FileReader } from './file_reader.js';
import { FileScanner } from './file_scanner.js';
import { FileSet } from './file_set.js';
import { resolveFileSourceOptions, type FileSourceOptions, type ResolvedFileSourceOptions } from './file_source_options.js';
import { GzipFiles } from './gzip_files.js';
import { classifyPaths, PathWatcher } from './path_watcher.js';
import { PollTimer } from './poll_timer.js';
import { checkNamedPath, describeFsError } from './unreadable_path.js';

/**
 * Reads log files, follows them as they grow and rotate, and hands their lines on in batches.
 * Files are known by their first bytes, so a rename keeps its place and a truncated or new file
 * starts over; the checkpoint of a file moves only past lines whose batch was acknowledged (the
 * committer's job), and a finished file is forgotten once acknowledged (the file set's job).
 */
export class FileSource implements Source, FileContext {
  readonly options: ResolvedFileSourceOptions;
  private readonly handler: BatchHandler;
  readonly telemetry: ReceiverTelemetry;
  private committerOrUndefined: Committer | undefined;
  private filesOrUndefined: FileSet | undefined;
  private watcher: PathWatcher | undefined;
  private scanner!: FileScanner;
  private reader!: FileReader;
  private gzip: GzipFiles | undefined;
  private readonly warned = new Set<string>();
  private readonly timer: PollTimer;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private shutdownPromise: Promise<void> | undefined;
  private resolveDone!: () => void;
  private rejectDone!: (error: unknown) => void;
  private readonly donePromise: Promise<void>;

  constructor(options: FileSourceOptions, handler: BatchHandler, telemetry: ReceiverTelemetry = noopTelemetry) {
    this.options = resolveFileSourceOptions(options);
    this.handler = handler;
    this.telemetry = telemetry;
    this.timer = new PollTimer(this.options.pollIntervalMs, this.options.maxPollIntervalMs);
    this.donePromise = new Promise((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.donePromise.catch(() => {});
  }

  get committer(): Committer {
    if (!this.committerOrUndefined) throw new Error('file source: not started');
    return this.committerOrUndefined;
  }

  get files(): FileSet {
    if (!this.filesOrUndefined) throw new Error('file source: not started');
    return this.filesOrUndefined;
  }

  /** Reads the checkpoints (a corrupt file fails here), finds the files and starts reading them. */
  async start(): Promise<void> {
    const o = this.options;
    const specs = await classifyPaths(o.paths);
    // A batch import fails at once on a path it was told to read and cannot.
    if (o.once) for (const spec of specs) if (spec.kind === 'file') await checkNamedPath(spec.path);
    const committer = await Committer.open({
      dataDir: o.dataDir,
      commitIntervalMs: o.commitIntervalMs,
      retentionMs: o.checkpointRetentionMs,
      maxGoneFiles: o.checkpointMaxGoneFiles,
      onWriteError: (error) => this.warnOnce(`write:${error.path}`, error.path, error),
      onEvict: (count, oldestLastSeenMs) => this.telemetry.checkpointsEvicted(count, oldestLastSeenMs),
    });
    this.committerOrUndefined = committer;
    this.filesOrUndefined = new FileSet(committer, (fileId) => o.onFileForgotten?.(fileId));
    this.gzip = new GzipFiles(this);
    this.watcher = new PathWatcher(specs, !o.once, () => this.timer.nudge());
    // Globs are looked for by the poll alone; every other path wakes the reader through its events.
    if (specs.every((spec) => spec.kind !== 'glob')) this.timer.setMaxMs(o.maxPollIntervalWatchedMs);
    this.scanner = new FileScanner(this, this.watcher, new FileIdentifier(this), this.gzip);
    this.reader = new FileReader(this);
    await this.watcher.start();
    await this.scanner.scan(true, o.once);
    this.loop = (o.once ? this.readOnce() : this.follow()).then(this.resolveDone, this.rejectDone);
  }

  /** Resolves when, in `once` mode, everything present was read, acknowledged and checkpointed; otherwise after shutdown. */
  done(): Promise<void> {
    return this.donePromise;
  }

  /** Bytes read so far and bytes present, over the files of this run. */
  progress(): { bytesRead: number; bytesTotal: number; files: number } {
    const files = this.filesOrUndefined;
    if (!files) return { bytesRead: 0, bytesTotal: 0, files: 0 };
    let bytesRead = 0;
    let bytesTotal = 0;
    for (const file of files.openFiles()) {
      bytesRead += file.tailer.position;
      bytesTotal += Math.max(file.size, file.tailer.position);
    }
    const finished = files.finishedSizes();
    for (const size of finished) {
      bytesRead += size;
      bytesTotal += size;
    }
    const gz = this.gzip?.progress() ?? { read: 0, total: 0 };
    return { bytesRead: bytesRead + gz.read, bytesTotal: bytesTotal + gz.total, files: files.openCount + finished.length };
  }

  /** Sizes of everything kept per file: what a test or a debug log checks for leaks. */
  stats(): Record<string, number> {
    return {
      ...this.filesOrUndefined?.stats(),
      ...this.committerOrUndefined?.stats(),
      ...this.scanner?.stats(),
      warned: this.warned.size,
    };
  }

  /**
   * Stops reading (waiting at most `shutdownTimeoutMs` for a batch being handed on), then runs
   * `drain` — the sink's flush, whose acknowledgements still move the offsets — and writes the
   * acknowledged checkpoints. Idempotent.
   */
  shutdown(drain?: () => Promise<void>): Promise<void> {
    this.shutdownPromise ??= (async () => {
      this.stopping = true;
      this.timer.wakeNow();
      if (this.loop) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, this.options.shutdownTimeoutMs);
          timer.unref();
        });
        await Promise.race([this.loop, timeout]);
        clearTimeout(timer);
      }
      await this.watcher?.close();
      if (drain) await drain();
      await this.committerOrUndefined?.close();
      await this.filesOrUndefined?.closeAll();
      this.resolveDone();
    })();
    return this.shutdownPromise;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Reports a problem once per file and kind of problem, not on every poll: one line, no stack. */
  warnOnce(reason: string, path: string, error: unknown): void {
    const key = `${reason}\0${path}`;
    if (this.warned.has(key)) return;
    // Bounded: a directory of files that come and go unreadable cannot grow it without end.
    if (this.warned.size >= 10_000) this.warned.clear();
    this.warned.add(key);
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (path !== '' && code !== undefined) {
      this.telemetry.pathUnreadable(path, describeFsError(error));
      return;
    }
    this.options.logger.warn({ path, reason }, error instanceof Error ? error.message : String(error));
  }

  readable(path: string): void {
    if (this.warned.size === 0) return;
    for (const key of this.warned) if (key.endsWith(`\0${path}`)) this.warned.delete(key);
  }

  emitter(fileId: string, path: () => string): EmitLines {
    return async (lines: RawLine[], endOffset: number) => {
      // Lines not handed on before a stop are read again after the restart, at the same offsets.
      if (this.stopping) return;
      const startOffset = lines[0]?.offset ?? endOffset;
      const receipt = this.committer.handOn(fileId, startOffset, endOffset);
      const { source, format } = this.options;
      try {
        await this.handler({ source, file: path(), fileId, lines, ack: receipt.ack, ...(format === undefined ? {} : { format }) });
      } catch (cause) {
        receipt.fail();
        throw new BatchFailedError(fileId, startOffset, { cause });
      }
    };
  }

  private async follow(): Promise<void> {
    while (!this.stopping) {
      try {
        // Compressed copies are the older part of a rotation set: read before the plain files.
        const gz = await (this.gzip as GzipFiles).readQueued();
        const read = await this.reader.readOpen(this.options.batchesPerTurn);
        if (this.stopping) break;
        if (!read.more && !gz) await this.timer.sleep(read.retryInMs);
        if (this.stopping) break;
        const changed = await this.scanner.scan(false, false);
        this.timer.activity(changed || read.progressed || gz);
      } catch (error) {
        this.warnOnce('poll', '', error);
        await this.timer.sleep();
      }
    }
  }

  private async readOnce(): Promise<void> {
    for (;;) {
      const gz = await (this.gzip as GzipFiles).readQueued();
      const read = await this.reader.readOpen(Infinity);
      // A compressed file renamed under the import (logrotate shifting names): found where it is now.
      const moved = (this.gzip as GzipFiles).takeMoved() && !this.stopping;
      if (moved) await this.scanner.scan(false, true);
      if (this.stopping || (!read.more && !gz && !moved && read.retryInMs === undefined)) break;
      // A failed batch is read again after its backoff.
      if (read.retryInMs !== undefined) await this.timer.sleep(read.retryInMs);
    }
    for (const file of this.files.openFiles()) await this.reader.finish(file);
    this.options.onAllRead?.();
    await this.committer.drained();
    if (!this.stopping) await this.committer.flush();
  }
}
