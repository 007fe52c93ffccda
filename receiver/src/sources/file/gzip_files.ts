import { open } from 'node:fs/promises';
import type { CheckpointStore } from '../../checkpoint/checkpoint_store.js';
import { findEntry } from '../../checkpoint/file_matcher.js';
import { newFileId, readGzipHead, readHead } from '../../checkpoint/fingerprint.js';
import type { SeenFile } from './file_scanner.js';
import type { FileSource } from './file_source.js';
import { readGzip } from './gzip_reader.js';
import { SourceError } from '../source_error.js';

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
}

/**
 * Rotated, gzip'd logs (`access.log.2.gz`). Their content is matched against known files: what was
 * read of the original before it was compressed is skipped, with the same file id and offsets.
 * A .gz read to its end is recorded under its own fingerprint and never read again.
 */
export class GzipFiles {
  private readonly source: FileSource;
  private readonly store: CheckpointStore;
  private queue: QueuedGzip[] = [];
  private readonly lastSize = new Map<string, number>();
  private current: { size: number; read: number } | undefined;

  constructor(source: FileSource, store: CheckpointStore) {
    this.source = source;
    this.store = store;
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
    const { source, store } = this;
    const now = Date.now();
    let rawHead: Buffer;
    let contentHead: Buffer;
    try {
      const fh = await open(path, 'r');
      rawHead = await readHead(fh).finally(() => fh.close());
      const own = findEntry(store.entries(), { head: rawHead, compressed: true, size: stats.size, path });
      if (own?.finished) {
        source.finished.set(key, { fileId: own.fileId, size: stats.size, mtimeMs: stats.mtimeMs });
        store.update(own.fileId, { path, lastSeenMs: now });
        return;
      }
      contentHead = await readGzipHead(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      this.fail(key, seen, new SourceError(`read gzip ${path}: ${code}`, path, { cause: error }));
      return;
    }
    const query = { head: contentHead, compressed: false, size: Number.POSITIVE_INFINITY, path };
    const known = findEntry(store.entries(), query);
    // Its original is still open (a rotated file being drained): look again once that is done.
    if (known && source.byFileId.has(known.fileId)) return;
    let fileId: string;
    let start = 0;
    if (known) {
      fileId = known.fileId;
      start = Math.max(known.offset, source.readUpTo.get(fileId) ?? 0);
    } else {
      fileId = newFileId(contentHead, (id) => store.has(id) || source.byFileId.has(id));
      store.put({ fileId, fingerprint: contentHead.toString('base64'), offset: 0, path, compressed: false, finished: true, lastSeenMs: now });
      source.newIds.add(fileId);
    }
    this.queue.push({ key, path, size: stats.size, mtimeMs: stats.mtimeMs, rawHead, fileId, start });
  }

  /** Forgets queued files whose new ids could not be recorded; they are considered again. */
  drop(fileIds: ReadonlySet<string>): void {
    this.queue = this.queue.filter((item) => !fileIds.has(item.fileId));
  }

  /** Reads the queued files, one after the other. */
  async readQueued(): Promise<void> {
    const { source } = this;
    while (!source.isStopping) {
      const item = this.queue.shift();
      if (!item) return;
      this.current = { size: item.size, read: 0 };
      const current = this.current;
      const { maxLineBytes, maxBatchLines } = source.options;
      try {
        const complete = await readGzip(
          item.path,
          { startOffset: item.start, maxLineBytes, maxBatchLines, stop: () => source.isStopping, onProgress: (n) => (current.read = n) },
          source.emitter(item.fileId, () => item.path),
        );
        if (complete) this.completed(item);
      } catch (error) {
        this.fail(item.key, { path: item.path, stats: { size: item.size, mtimeMs: item.mtimeMs } }, error);
      } finally {
        this.current = undefined;
      }
    }
  }

  private completed(item: QueuedGzip): void {
    const { source, store } = this;
    source.finished.set(item.key, { fileId: item.fileId, size: item.size, mtimeMs: item.mtimeMs });
    source.ackQueue(item.fileId).whenAcked(() => {
      const gzId = newFileId(item.rawHead, (id) => store.has(id), 'gz-');
      const entry = { fileId: gzId, fingerprint: item.rawHead.toString('base64'), offset: item.size, path: item.path };
      store.put({ ...entry, compressed: true, finished: true, lastSeenMs: Date.now() });
      store.update(item.fileId, { finished: true });
    });
  }

  /** A .gz that cannot be read is reported once and left alone until it changes. */
  private fail(key: string, seen: { path: string; stats: { size: number; mtimeMs: number } }, error: unknown): void {
    this.source.warnOnce('gzip', seen.path, error);
    this.source.finished.set(key, { fileId: '', size: seen.stats.size, mtimeMs: seen.stats.mtimeMs });
  }
}
