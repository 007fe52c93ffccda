import { open, type FileHandle } from 'node:fs/promises';
import { findEntry } from '../../checkpoint/file_matcher.js';
import { newFileId, readHead } from '../../checkpoint/fingerprint.js';
import type { SeenFile } from './file_scanner.js';
import { BatchFailedError, retryDelayMs } from '../source.js';
import type { FileContext } from './file_context.js';
import { readGzip, readGzipHead } from './gzip_reader.js';
import { SourceError } from '../source_error.js';
import { fileKey } from './tracked_file.js';

interface QueuedGzip {
  key: string;
  path: string;
  size: number;
  mtimeMs: number;
  /** Identity of the compressed file itself, recorded once it was read and acknowledged. */
  rawHead: Buffer;
  /** Identity of its content: the id of the file it was compressed from, when that one is known. */
  fileId: string;
  start: number;
  failures: number;
  retryAtMs: number;
}

/**
 * Rotated, gzip'd logs (`access.log.2.gz`). Their content is matched against known files: what was
 * read of the original before it was compressed is skipped, with the same file id and offsets.
 * A .gz read to its end is recorded under its own fingerprint and never read again.
 */
export class GzipFiles {
  private readonly context: FileContext;
  private queue: QueuedGzip[] = [];
  private readonly lastSize = new Map<string, number>();
  private current: { size: number; read: number } | undefined;
  /** A queued file was no longer at its path: a batch import looks at the paths again. */
  private moved = false;

  constructor(context: FileContext) {
    this.context = context;
  }

  /** Forgets the sizes kept of .gz files no longer present. */
  forgetAbsent(present: ReadonlySet<string>): void {
    for (const key of this.lastSize.keys()) if (!present.has(key)) this.lastSize.delete(key);
  }

  stats(): { gzipSizes: number; gzipQueued: number } {
    return { gzipSizes: this.lastSize.size, gzipQueued: this.queue.length };
  }

  progress(): { read: number; total: number } {
    let total = this.current?.size ?? 0;
    for (const item of this.queue) total += item.size;
    return { read: this.current?.read ?? 0, total };
  }

  /** Looks at a .gz not read in this run, and queues it for reading if it holds unread lines. */
  async consider(key: string, seen: SeenFile, atEnd: boolean): Promise<void> {
    if (this.queue.some((item) => item.key === key)) return;
    const { path, stats } = seen;
    // A compressor may still be writing it: wait until its size held still for one poll.
    const previous = this.lastSize.get(key);
    this.lastSize.set(key, stats.size);
    if (!atEnd && previous !== stats.size) return;
    const { files, committer } = this.context;
    const now = Date.now();
    let rawHead: Buffer;
    let contentHead: Buffer;
    try {
      const fh = await openAt(path, key);
      // Another file is at this path now (a rotation shifted the names): the next scan sees both.
      if (!fh) return;
      try {
        rawHead = await readHead(fh);
        const own = findEntry(committer.candidates(rawHead), { head: rawHead, compressed: true, size: stats.size, path });
        if (own?.finished) {
          files.markFinished(key, { fileId: own.fileId, size: stats.size, mtimeMs: stats.mtimeMs });
          committer.update(own.fileId, { path, lastSeenMs: now });
          return;
        }
        contentHead = await readGzipHead(fh);
      } finally {
        await fh.close().catch(() => {});
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      this.fail(key, seen, new SourceError(`read gzip ${path}: ${code}`, path, { cause: error }));
      return;
    }
    const query = { head: contentHead, compressed: false, size: Number.POSITIVE_INFINITY, path };
    const known = findEntry(committer.candidates(contentHead), query);
    // Its original is still open (a rotated file being drained): look again once that is done.
    if (known && files.reading(known.fileId)) return;
    let fileId: string;
    let start = 0;
    if (known) {
      fileId = known.fileId;
      start = Math.max(known.offset, committer.handedOnUpTo(fileId) ?? 0);
    } else {
      fileId = newFileId(contentHead, (id) => committer.has(id) || files.reading(id) !== undefined);
      committer.record({ fileId, fingerprint: contentHead.toString('base64'), offset: 0, path, compressed: false, finished: true, lastSeenMs: now });
      files.newIds.add(fileId);
    }
    this.queue.push({ key, path, size: stats.size, mtimeMs: stats.mtimeMs, rawHead, fileId, start, failures: 0, retryAtMs: 0 });
  }

  /** True (once) when a queued file had moved away from its path since it was queued. */
  takeMoved(): boolean {
    const moved = this.moved;
    this.moved = false;
    return moved;
  }

  /** Forgets queued files whose new ids could not be recorded; they are considered again. */
  drop(fileIds: ReadonlySet<string>): void {
    this.queue = this.queue.filter((item) => !fileIds.has(item.fileId));
  }

  /**
   * Reads the queued files that are due, one after the other; true when something was read. A
   * file whose batch failed goes back to the queue, to be read from that batch after a backoff.
   */
  async readQueued(): Promise<boolean> {
    const { context } = this;
    let read = false;
    while (!context.isStopping) {
      const due = this.queue.findIndex((item) => item.retryAtMs <= Date.now());
      if (due === -1) return read;
      const [item] = this.queue.splice(due, 1);
      if (!item) return read;
      read = true;
      this.current = { size: item.size, read: 0 };
      const current = this.current;
      const { maxLineBytes, maxBatchLines, retryInitialMs, retryMaxMs } = context.options;
      try {
        // Opened by path, the file must still be the one that was queued: logrotate shifts
        // `.1.gz` to `.2.gz` and writes a new `.1.gz`, whose lines are not this file's.
        const fh = await openAt(item.path, item.key);
        if (!fh) {
          this.moved = true;
          continue;
        }
        let complete: boolean;
        try {
          complete = await readGzip(
            fh,
            item.path,
            { startOffset: item.start, maxLineBytes, maxBatchLines, stop: () => context.isStopping, onProgress: (n) => (current.read = n) },
            context.emitter(item.fileId, () => item.path),
          );
        } finally {
          await fh.close().catch(() => {});
        }
        if (complete) this.completed(item);
      } catch (error) {
        if (error instanceof BatchFailedError) {
          this.queue.push({ ...item, start: error.offset, failures: item.failures + 1, retryAtMs: Date.now() + retryDelayMs(item.failures, retryInitialMs, retryMaxMs) });
          context.warnOnce('batch', item.path, error);
        } else {
          this.fail(item.key, { path: item.path, stats: { size: item.size, mtimeMs: item.mtimeMs } }, error);
        }
      } finally {
        this.current = undefined;
      }
    }
    return read;
  }

  private completed(item: QueuedGzip): void {
    const { files, committer } = this.context;
    files.markFinished(item.key, { fileId: item.fileId, size: item.size, mtimeMs: item.mtimeMs });
    committer.whenAcked(item.fileId, () => {
      const gzId = newFileId(item.rawHead, (id) => committer.has(id), 'gz-');
      const entry = { fileId: gzId, fingerprint: item.rawHead.toString('base64'), offset: item.size, path: item.path };
      committer.record({ ...entry, compressed: true, finished: true, lastSeenMs: Date.now() });
      committer.update(item.fileId, { finished: true });
    });
    files.retire(item.fileId);
  }

  /** A .gz that cannot be read is reported once and left alone until it changes. */
  private fail(key: string, seen: { path: string; stats: { size: number; mtimeMs: number } }, error: unknown): void {
    this.context.warnOnce('gzip', seen.path, error);
    this.context.files.markFinished(key, { fileId: '', size: seen.stats.size, mtimeMs: seen.stats.mtimeMs });
  }
}

/**
 * Opens `path` if the file there is still `key` (`dev:ino`); undefined when it is gone or another
 * file took its name: it is then looked at again where the next scan finds it.
 */
async function openAt(path: string, key: string): Promise<FileHandle | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    if (fileKey(await fh.stat()) === key) return fh;
  } catch (error) {
    await fh.close().catch(() => {});
    throw error;
  }
  await fh.close().catch(() => {});
  return undefined;
}
