import { open, readlink, type FileHandle } from 'node:fs/promises';
import type { CheckpointStore } from '../../checkpoint/checkpoint_store.js';
import { findEntry } from '../../checkpoint/file_matcher.js';
import { isIdentifiable, newFileId, readHead, samePrefix, startsWith } from '../../checkpoint/fingerprint.js';
import type { SeenFile } from './file_scanner.js';
import type { FileSource } from './file_source.js';
import { FileTailer } from './file_tailer.js';
import { SourceError } from '../source_error.js';
import { fileKey, lastLineStart, type TrackedFile } from './tracked_file.js';

/**
 * How long a new file that holds the same bytes as an open one is taken for a copy in progress
 * (copytruncate: copy, then truncate) before it counts as a file of its own.
 */
const COPY_WAIT_MS = 60_000;

/**
 * Decides what a plain file is: a known file (resume at its checkpoint), the continuation of an
 * open one (rename, copytruncate), or a new one (new id, recorded before any line is handed on).
 */
export class FileIdentifier {
  private readonly source: FileSource;
  private readonly store: CheckpointStore;
  /** Ids a file (by `dev:ino`) held before it was truncated: its new content must not take them again. */
  private readonly retired = new Map<string, Set<string>>();
  /** When a file that looks like a copy of an open one was first seen, by `dev:ino`. */
  private readonly copySince = new Map<string, number>();

  constructor(source: FileSource, store: CheckpointStore) {
    this.source = source;
    this.store = store;
  }

  /** Updates an open file: its path, whether it was rotated away, whether it was truncated (then it is let go). */
  async check(file: TrackedFile, seen: SeenFile | undefined, atOrigin: boolean): Promise<void> {
    let size: number;
    try {
      const stats = await file.tailer.fh.stat();
      size = stats.size;
      file.deleted = stats.nlink === 0;
    } catch (error) {
      this.source.warnOnce('fstat', file.path, error);
      await this.source.release(file);
      return;
    }
    if (!atOrigin) file.rotated = true;
    const path = seen ? seen.path : file.rotated ? await currentPath(file) : file.path;
    if (path !== file.path) {
      file.path = path;
      this.store.update(file.fileId, { path });
    }
    let truncated = size < file.tailer.position;
    if (!truncated && size !== file.size) {
      const head = await readHead(file.tailer.fh);
      truncated = !startsWith(head, file.fingerprint);
      if (!truncated && head.length > file.fingerprint.length) {
        file.fingerprint = head;
        this.store.update(file.fileId, { fingerprint: head.toString('base64') });
      }
    }
    file.size = size;
    if (!truncated) return;
    // Copytruncate: the content at this inode is new. What was not read yet of the old content is
    // gone, unless a copy of it turns up (it then continues under the old id).
    let ids = this.retired.get(file.key);
    if (!ids) this.retired.set(file.key, (ids = new Set()));
    ids.add(file.fileId);
    await this.source.release(file);
  }

  /** Opens and identifies a file not open yet; it is then read from its place. */
  async identify(key: string, seen: SeenFile, when: { initial: boolean; atEnd: boolean }): Promise<void> {
    let fh: FileHandle;
    try {
      fh = await open(seen.path, 'r');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') this.source.warnOnce(code ?? 'open', seen.path, new SourceError(`open ${seen.path}: ${code}`, seen.path, { cause: error }));
      return;
    }
    let file: TrackedFile | undefined;
    try {
      file = await this.identifyOpen(key, seen.path, fh, when);
    } catch (error) {
      this.source.warnOnce('identify', seen.path, new SourceError(`read ${seen.path}: ${(error as Error).message}`, seen.path, { cause: error }));
    }
    if (!file) {
      await fh.close().catch(() => {});
      return;
    }
    this.source.tracked.set(key, file);
    this.source.byFileId.set(file.fileId, file);
  }

  private async identifyOpen(
    key: string,
    path: string,
    fh: FileHandle,
    when: { initial: boolean; atEnd: boolean },
  ): Promise<TrackedFile | undefined> {
    const stats = await fh.stat();
    // Replaced between the listing and the open: the next poll sees the new one.
    if (fileKey(stats) !== key) return undefined;
    const head = await readHead(fh);
    if (!isIdentifiable(head, when.atEnd)) return undefined;
    const { source, store } = this;
    const retired = (id: string) => this.retired.get(key)?.has(id) ?? false;
    const query = { head, compressed: false, size: stats.size, path };
    const held = findEntry(store.entries(), { ...query, exclude: retired });
    const owner = held && source.byFileId.get(held.fileId);
    if (owner && !when.atEnd && (await this.copyInProgress(key, head, stats.size, owner))) return undefined;
    const entry = findEntry(store.entries(), { ...query, exclude: (id) => retired(id) || source.byFileId.has(id) });
    const now = Date.now();
    let fileId: string;
    let start: number;
    let fingerprint = head;
    if (entry) {
      fileId = entry.fileId;
      start = Math.max(entry.offset, source.readUpTo.get(fileId) ?? 0);
      if (start > stats.size) start = entry.offset;
      if (entry.finished && start >= stats.size && !source.newIds.has(fileId)) {
        source.finished.set(key, { fileId, size: stats.size, mtimeMs: stats.mtimeMs });
        store.update(fileId, { path, lastSeenMs: now });
        return undefined;
      }
      const known = Buffer.from(entry.fingerprint, 'base64');
      if (known.length > head.length) fingerprint = known;
      store.update(fileId, { path, lastSeenMs: now, finished: false, fingerprint: fingerprint.toString('base64') });
    } else {
      fileId = newFileId(head, (id) => store.has(id) || source.byFileId.has(id));
      start = when.initial && source.options.startAt === 'end' ? await lastLineStart(fh, stats.size) : 0;
      store.put({ fileId, fingerprint: head.toString('base64'), offset: start, path, compressed: false, finished: false, lastSeenMs: now });
      source.newIds.add(fileId);
    }
    this.copySince.delete(key);
    const { maxLineBytes, maxBatchLines } = source.options;
    const tailer = new FileTailer(fh, { startOffset: start, maxLineBytes, maxBatchLines });
    return { fileId, key, path, originPath: path, tailer, fingerprint, size: stats.size, rotated: false, deleted: false, idleSinceMs: undefined };
  }

  /** True while a new file holding the same bytes as the open `owner` is probably being copied from it. */
  private async copyInProgress(key: string, head: Buffer, size: number, owner: TrackedFile): Promise<boolean> {
    const ownerHead = await readHead(owner.tailer.fh);
    if (!samePrefix(head, ownerHead)) return false;
    const now = Date.now();
    const since = this.copySince.get(key) ?? now;
    this.copySince.set(key, since);
    return size <= owner.size && now - since < COPY_WAIT_MS;
  }
}

/**
 * Where a file renamed out of the watched paths is now (SFTPGo's dated rename of a watched
 * `sftpgo.log`), as Linux tells through /proc; elsewhere, or once deleted, the last known path.
 */
async function currentPath(file: TrackedFile): Promise<string> {
  const target = await readlink(`/proc/self/fd/${file.tailer.fh.fd}`).catch(() => undefined);
  return target && target.startsWith('/') && !target.endsWith(' (deleted)') ? target : file.path;
}
