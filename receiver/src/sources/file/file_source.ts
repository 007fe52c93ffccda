import { existsSync } from 'node:fs';
import { CheckpointStore } from '../../checkpoint/checkpoint_store.js';
import type { BatchHandler, RawLine } from '../../pipeline/line_batch.js';
import type { ReceiverTelemetry } from '../../pipeline/telemetry.js';
import { noopTelemetry } from '../../pipeline/telemetry.js';
import { AckQueue } from '../../checkpoint/ack_queue.js';
import type { EmitLines } from '../batching.js';
import { FileIdentifier } from './file_identifier.js';
import { FileScanner } from './file_scanner.js';
import { resolveFileSourceOptions, type FileSourceOptions, type ResolvedFileSourceOptions } from './file_source_options.js';
import { GzipFiles } from './gzip_files.js';
import { classifyPaths, PathWatcher } from './path_watcher.js';
import { SourceError } from '../source_error.js';
import type { FinishedFile, TrackedFile } from './tracked_file.js';

/** Batches one file may hand on per poll before the others get their turn. */
const BATCHES_PER_TURN = 8;

/**
 * Reads log files, follows them as they grow and rotate, and hands their lines on in batches.
 * Files are known by their first bytes, so a rename keeps its place and a truncated or new file
 * starts over; the checkpoint of a file moves only past lines whose batch was acknowledged.
 */
export class FileSource {
  readonly options: ResolvedFileSourceOptions;
  private readonly handler: BatchHandler;
  /** Kept for the component interface; files report through the logger (ReceiverTelemetry has no source events). */
  readonly telemetry: ReceiverTelemetry;
  private store: CheckpointStore | undefined;
  private watcher: PathWatcher | undefined;
  private scanner!: FileScanner;
  private gzip: GzipFiles | undefined;
  /** Open files by `dev:ino`, and by file id (a file id is read through one file at a time). */
  readonly tracked = new Map<string, TrackedFile>();
  readonly byFileId = new Map<string, TrackedFile>();
  /** Files this run read to their end, by `dev:ino`. */
  readonly finished = new Map<string, FinishedFile>();
  /** Offset up to which lines of a file id were handed on (may be ahead of its checkpoint). */
  readonly readUpTo = new Map<string, number>();
  /** File ids given out in this scan, not yet on disk: none of their lines may be handed on before. */
  readonly newIds = new Set<string>();
  private readonly acks = new Map<string, AckQueue>();
  private readonly warned = new Set<string>();
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private shutdownPromise: Promise<void> | undefined;
  private resolveDone!: () => void;
  private rejectDone!: (error: unknown) => void;
  private readonly donePromise: Promise<void>;

  constructor(options: FileSourceOptions, handler: BatchHandler, telemetry: ReceiverTelemetry = noopTelemetry) {
    this.options = resolveFileSourceOptions(options);
    this.handler = handler;
    this.telemetry = telemetry;
    this.donePromise = new Promise((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.donePromise.catch(() => {});
  }

  /** Reads the checkpoints (a corrupt file fails here), finds the files and starts reading them. */
  async start(): Promise<void> {
    const o = this.options;
    const store = await CheckpointStore.open({
      dataDir: o.dataDir,
      commitIntervalMs: o.commitIntervalMs,
      retentionMs: o.checkpointRetentionMs,
      onWriteError: (error) => this.warnOnce(`write:${error.path}`, error.path, error),
    });
    this.store = store;
    const specs = await classifyPaths(o.paths);
    if (o.once) {
      const missing = specs.find((spec) => spec.kind === 'file' && !existsSync(spec.path));
      if (missing) throw new SourceError(`stat ${missing.path}: ENOENT`, missing.path);
    }
    this.gzip = new GzipFiles(this, store);
    this.watcher = new PathWatcher(specs, !o.once, () => this.wake?.());
    this.scanner = new FileScanner(this, store, this.watcher, new FileIdentifier(this, store), this.gzip);
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
    let bytesRead = 0;
    let bytesTotal = 0;
    for (const file of this.tracked.values()) {
      bytesRead += file.tailer.position;
      bytesTotal += Math.max(file.size, file.tailer.position);
    }
    for (const file of this.finished.values()) {
      bytesRead += file.size;
      bytesTotal += file.size;
    }
    const gz = this.gzip?.progress() ?? { read: 0, total: 0 };
    return { bytesRead: bytesRead + gz.read, bytesTotal: bytesTotal + gz.total, files: this.tracked.size + this.finished.size };
  }

  /**
   * Stops reading (waiting at most `shutdownTimeoutMs` for a batch being handed on), then runs
   * `drain` — the sink's flush, whose acknowledgements still move the offsets — and writes the
   * acknowledged checkpoints. Idempotent.
   */
  shutdown(drain?: () => Promise<void>): Promise<void> {
    this.shutdownPromise ??= (async () => {
      this.stopping = true;
      this.wake?.();
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
      await this.store?.close();
      for (const file of this.tracked.values()) await file.tailer.close();
      this.tracked.clear();
      this.byFileId.clear();
      this.resolveDone();
    })();
    return this.shutdownPromise;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Reports a problem once per file and kind of problem, not on every poll. */
  warnOnce(reason: string, path: string, error: unknown): void {
    const key = `${reason}\0${path}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.options.logger.warn({ path, err: error }, error instanceof Error ? error.message : String(error));
  }

  /** The acknowledgement queue of a file id; its acks move the file's checkpoint. */
  ackQueue(fileId: string): AckQueue {
    let queue = this.acks.get(fileId);
    if (!queue) {
      queue = new AckQueue((offset) => this.store?.commit(fileId, offset));
      this.acks.set(fileId, queue);
    }
    return queue;
  }

  /** Hands lines of `fileId` (read at `path()`) to the pipeline, awaiting it (backpressure). */
  emitter(fileId: string, path: () => string): EmitLines {
    const queue = this.ackQueue(fileId);
    return async (lines: RawLine[], endOffset: number) => {
      // Lines not handed on before a stop are read again after the restart, at the same offsets.
      if (this.stopping) return;
      const ack = queue.add(endOffset);
      this.readUpTo.set(fileId, endOffset);
      const { source, format } = this.options;
      await this.handler({ source, file: path(), fileId, lines, ack, ...(format === undefined ? {} : { format }) });
    };
  }

  /** Forgets an open file (closing it); what it handed on stays on record for whoever continues it. */
  async release(file: TrackedFile): Promise<void> {
    this.tracked.delete(file.key);
    if (this.byFileId.get(file.fileId) === file) this.byFileId.delete(file.fileId);
    await file.tailer.close();
  }

  private async follow(): Promise<void> {
    while (!this.stopping) {
      try {
        const more = await this.readTracked(BATCHES_PER_TURN);
        await (this.gzip as GzipFiles).readQueued();
        if (this.stopping) break;
        if (!more) await this.sleep();
        if (this.stopping) break;
        await this.scanner.scan(false, false);
      } catch (error) {
        this.warnOnce('poll', '', error);
        await this.sleep();
      }
    }
  }

  private async readOnce(): Promise<void> {
    await this.readTracked(Infinity);
    await (this.gzip as GzipFiles).readQueued();
    for (const file of [...this.tracked.values()]) await this.finish(file);
    this.options.onAllRead?.();
    await Promise.all([...this.acks.values()].map((queue) => queue.drained()));
    if (!this.stopping) await this.store?.flush();
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.pollIntervalMs);
      timer.unref();
      const self = this;
      function done(): void {
        clearTimeout(timer);
        if (self.wake === done) self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }

  /** Reads every open file as far as it goes now; true when some file has more to read. */
  private async readTracked(batchesPerFile: number): Promise<boolean> {
    let more = false;
    for (const file of [...this.tracked.values()]) {
      if (this.stopping) return false;
      const before = file.tailer.position;
      let reachedEnd: boolean;
      try {
        reachedEnd = await file.tailer.read(this.emitter(file.fileId, () => file.path), batchesPerFile, () => this.stopping);
      } catch (error) {
        this.warnOnce('read', file.path, new SourceError(`read ${file.path}: ${(error as Error).message}`, file.path, { cause: error }));
        await this.release(file);
        continue;
      }
      if (!reachedEnd) more = true;
      const now = Date.now();
      if (!reachedEnd || file.tailer.position !== before) file.idleSinceMs = undefined;
      else file.idleSinceMs ??= now;
      // A rotated-away file is finished once deleted, or once it stopped growing for a while: a
      // writer may append to the old file until it reopens its log.
      const idleMs = file.idleSinceMs === undefined ? -1 : now - file.idleSinceMs;
      if (file.rotated && idleMs >= 0 && (file.deleted || idleMs >= this.options.rotateWaitMs) && !this.options.once) {
        await this.finish(file);
      }
    }
    return more;
  }

  /** Hands on the unterminated last line of a file that will not grow, and closes it. */
  private async finish(file: TrackedFile): Promise<void> {
    await file.tailer.finish(this.emitter(file.fileId, () => file.path));
    if (this.stopping) return;
    this.store?.update(file.fileId, { finished: true });
    const stats = await file.tailer.fh.stat().catch(() => undefined);
    if (stats) this.finished.set(file.key, { fileId: file.fileId, size: stats.size, mtimeMs: stats.mtimeMs });
    await this.release(file);
  }
}
