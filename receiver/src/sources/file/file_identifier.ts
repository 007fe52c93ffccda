import type { Stats } from 'node:fs';
import { open, readlink, type FileHandle } from 'node:fs/promises';
import { findEntry } from '../../checkpoint/file_matcher.js';
import { isIdentifiable, newFileId, readHead, samePrefix, startsWith } from '../../checkpoint/fingerprint.js';
import type { SeenFile } from './file_scanner.js';
import type { FileContext } from './file_context.js';
import { FileTailer } from './file_tailer.js';
import { SourceError } from '../source_error.js';
import { fileKey, lastLineStart, type TrackedFile } from './tracked_file.js';

/** A file opened for identification, with what was read of it. */
export interface OpenedFile {
  key: string;
  path: string;
  fh: FileHandle;
  stats: Stats;
  head: Buffer;
}

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
  private readonly context: FileContext;
  /** Ids a file (by `dev:ino`) held before it was truncated: its new content must not take them again. */
  private readonly retired = new Map<string, Set<string>>();
  /** When a file that looks like a copy of an open one was first seen, by `dev:ino`. */
  private readonly copySince = new Map<string, number>();

  constructor(context: FileContext) {
    this.context = context;
  }

  /** Forgets what it kept of files (by `dev:ino`) that are no longer present. */
  forgetAbsent(present: ReadonlySet<string>): void {
    for (const key of this.retired.keys()) if (!present.has(key)) this.retired.delete(key);
    for (const key of this.copySince.keys()) if (!present.has(key)) this.copySince.delete(key);
  }

  stats(): { retiredIds: number; copiesWatched: number } {
    return { retiredIds: this.retired.size, copiesWatched: this.copySince.size };
  }

  /**
   * Updates an open file: its path, whether it was rotated away, whether it was truncated (then
   * it is let go). Returns true when its size changed. A file seen in the listing is known by the
   * stat of that listing (the same inode): only files rotated out of sight cost an fstat.
   */
  async check(file: TrackedFile, seen: SeenFile | undefined, atOrigin: boolean): Promise<boolean> {
    const { committer, files } = this.context;
    let size: number;
    try {
      const stats = seen ? seen.stats : await file.tailer.fh.stat();
      size = stats.size;
      file.deleted = stats.nlink === 0;
    } catch (error) {
      this.context.warnOnce('fstat', file.path, error);
      await files.release(file);
      return true;
    }
    if (!atOrigin) file.rotated = true;
    const path = seen ? seen.path : file.rotated ? await currentPath(file) : file.path;
    if (path !== file.path) {
      file.path = path;
      committer.update(file.fileId, { path });
    }
    let truncated = size < file.tailer.position;
    // A changed size says the content may have changed; so does a read that saw the head change
    // (the file may since have grown back to the very size of the last check).
    if (!truncated && (size !== file.size || file.replaced)) {
      const head = await readHead(file.tailer.fh);
      truncated = !startsWith(head, file.fingerprint);
      if (!truncated && head.length > file.fingerprint.length) {
        file.fingerprint = head;
        committer.update(file.fileId, { fingerprint: head.toString('base64') });
      }
    }
    const changed = size !== file.size || file.replaced;
    file.replaced = false;
    file.size = size;
    if (!truncated) return changed;
    // Copytruncate: the content at this inode is new. What was not read yet of the old content is
    // gone, unless a copy of it turns up (it then continues under the old id).
    let ids = this.retired.get(file.key);
    if (!ids) this.retired.set(file.key, (ids = new Set()));
    ids.add(file.fileId);
    await files.release(file);
    return true;
  }

  /**
   * Opens a file not open yet and reads its first bytes: the slow part, which the scanner runs
   * for many files at once. Undefined when it cannot be opened or was replaced meanwhile.
   */
  async open(key: string, seen: SeenFile): Promise<OpenedFile | undefined> {
    let fh: FileHandle;
    try {
      fh = await open(seen.path, 'r');
    } catch (error) {
      // Reported once; the next polls try again, and the file is read once it can be.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.context.warnOnce('open', seen.path, error);
      return undefined;
    }
    this.context.readable(seen.path);
    try {
      const stats = await fh.stat();
      // Replaced between the listing and the open: the next poll sees the new one.
      if (fileKey(stats) === key) return { key, path: seen.path, fh, stats, head: await readHead(fh) };
    } catch (error) {
      this.context.warnOnce('identify', seen.path, new SourceError(`read ${seen.path}: ${(error as Error).message}`, seen.path, { cause: error }));
    }
    await fh.close().catch(() => {});
    return undefined;
  }

  /**
   * Decides what an opened file is and starts reading it from its place, or closes it. Decisions
   * run one at a time, so two files never take the same id.
   */
  async identify(opened: OpenedFile, when: { initial: boolean; atEnd: boolean }): Promise<void> {
    let file: TrackedFile | undefined;
    try {
      file = await this.decide(opened, when);
    } catch (error) {
      this.context.warnOnce('identify', opened.path, new SourceError(`read ${opened.path}: ${(error as Error).message}`, opened.path, { cause: error }));
    }
    if (!file) {
      await opened.fh.close().catch(() => {});
      return;
    }
    this.context.files.add(file);
  }

  private async decide(opened: OpenedFile, when: { initial: boolean; atEnd: boolean }): Promise<TrackedFile | undefined> {
    const { key, path, fh, stats, head } = opened;
    if (!isIdentifiable(head, when.atEnd)) return undefined;
    const { committer, files, options } = this.context;
    const retired = (id: string) => this.retired.get(key)?.has(id) ?? false;
    const query = { head, compressed: false, size: stats.size, path };
    const held = findEntry(committer.candidates(head), { ...query, exclude: retired });
    const owner = held && files.reading(held.fileId);
    if (owner && !when.atEnd && (await this.copyInProgress(key, head, stats.size, owner))) return undefined;
    const entry = findEntry(committer.candidates(head), { ...query, exclude: (id) => retired(id) || files.reading(id) !== undefined });
    const now = Date.now();
    let fileId: string;
    let start: number;
    let fingerprint = head;
    if (entry) {
      fileId = entry.fileId;
      start = Math.max(entry.offset, committer.handedOnUpTo(fileId) ?? 0);
      if (start > stats.size) start = entry.offset;
      // A copy made before lines that were read from the original: nothing in it is new.
      if (start > stats.size) start = stats.size;
      if (entry.finished && start >= stats.size && !files.newIds.has(fileId)) {
        files.markFinished(key, { fileId, size: stats.size, mtimeMs: stats.mtimeMs });
        committer.update(fileId, { path, lastSeenMs: now });
        return undefined;
      }
      const known = Buffer.from(entry.fingerprint, 'base64');
      if (known.length > head.length) fingerprint = known;
      committer.update(fileId, { path, lastSeenMs: now, finished: false, fingerprint: fingerprint.toString('base64') });
    } else {
      start = when.initial && options.startAt === 'end' ? await lastLineStart(fh, stats.size) : 0;
      fileId = newFileId(head, (id) => committer.has(id) || files.reading(id) !== undefined);
      committer.record({ fileId, fingerprint: head.toString('base64'), offset: start, path, compressed: false, finished: false, lastSeenMs: now });
      files.newIds.add(fileId);
    }
    this.copySince.delete(key);
    const { maxLineBytes, maxBatchLines } = options;
    const tailer = new FileTailer(fh, { startOffset: start, maxLineBytes, maxBatchLines });
    return { fileId, key, path, originPath: path, tailer, fingerprint, size: stats.size, rotated: false, replaced: false, deleted: false, idleSinceMs: undefined, failures: 0, retryAtMs: 0 };
  }

  /**
   * True while a new file holding the same bytes as the open `owner` is probably being copied from
   * it, or when the owner was truncated since it was checked in this scan (a copytruncate landing
   * mid-scan): the new file then waits for the next scan, which lets the owner go, and continues
   * its id. Taken for a file of its own, the copy would be read from its start under a second id.
   */
  private async copyInProgress(key: string, head: Buffer, size: number, owner: TrackedFile): Promise<boolean> {
    // Size first, head second: a truncation between the two shows in the head.
    const ownerSize = (await owner.tailer.fh.stat()).size;
    const ownerHead = await readHead(owner.tailer.fh);
    if (ownerSize < owner.size || ownerSize < owner.tailer.position || !startsWith(ownerHead, owner.fingerprint)) {
      owner.replaced = true;
      return true;
    }
    if (!samePrefix(head, ownerHead)) return false;
    const now = Date.now();
    const since = this.copySince.get(key) ?? now;
    this.copySince.set(key, since);
    return size <= ownerSize && now - since < COPY_WAIT_MS;
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
