import type { Committer } from '../../checkpoint/committer.js';
import type { FinishedFile, TrackedFile } from './tracked_file.js';

/**
 * Everything the file source knows about the files of this run, and the one place that forgets
 * it: open files (by `dev:ino` and by file id), files read to their end that are still present,
 * and file ids recorded in this scan but not on disk yet. A released file is forgotten once its
 * batches are acknowledged, and `onForget` then lets the pipeline drop its parser and key.
 */
export class FileSet {
  private readonly open = new Map<string, TrackedFile>();
  private readonly openById = new Map<string, TrackedFile>();
  private readonly finished = new Map<string, FinishedFile>();
  /** File ids given out in this scan, not yet on disk: none of their lines may be handed on before. */
  readonly newIds = new Set<string>();
  private readonly finishedIds = new Map<string, number>();

  constructor(
    private readonly committer: Committer,
    private readonly onForget: (fileId: string) => void,
  ) {
    committer.holdWhile((id) => this.openById.has(id) || this.finishedIds.has(id) || this.newIds.has(id));
  }

  /** Open files, in the order they were opened. */
  openFiles(): TrackedFile[] {
    return [...this.open.values()];
  }

  get openCount(): number {
    return this.open.size;
  }

  atKey(key: string): TrackedFile | undefined {
    return this.open.get(key);
  }

  /** The open file reading `fileId`, if any (a file id is read through one file at a time). */
  reading(fileId: string): TrackedFile | undefined {
    return this.openById.get(fileId);
  }

  add(file: TrackedFile): void {
    this.open.set(file.key, file);
    this.openById.set(file.fileId, file);
  }

  /** Closes an open file; what it handed on stays with the committer until acknowledged. */
  async release(file: TrackedFile): Promise<void> {
    if (this.open.get(file.key) === file) this.open.delete(file.key);
    if (this.openById.get(file.fileId) === file) this.openById.delete(file.fileId);
    await file.tailer.close();
    this.retire(file.fileId);
  }

  /** `fileId` is not read any more: forget it once its batches are acknowledged, unless it is read again. */
  retire(fileId: string): void {
    this.committer.whenAcked(fileId, () => {
      if (this.openById.has(fileId)) return;
      this.committer.forget(fileId);
      this.onForget(fileId);
    });
  }

  /** Records a file read to its end, still present at `key` with this size and time. */
  markFinished(key: string, file: FinishedFile): void {
    const before = this.finished.get(key);
    if (before) this.dropFinishedId(before.fileId);
    this.finished.set(key, file);
    this.finishedIds.set(file.fileId, (this.finishedIds.get(file.fileId) ?? 0) + 1);
  }

  /** The finished file at `key` if it has not changed since (same size and time); else it is forgotten. */
  finishedAt(key: string, stats: { size: number; mtimeMs: number }): FinishedFile | undefined {
    const done = this.finished.get(key);
    if (done && done.size === stats.size && done.mtimeMs === stats.mtimeMs) return done;
    this.forgetFinished(key);
    return undefined;
  }

  /** Forgets finished files no longer present (their checkpoint stays, for a copy or a .gz of them). */
  forgetAbsent(present: ReadonlySet<string>): void {
    for (const key of this.finished.keys()) if (!present.has(key)) this.forgetFinished(key);
  }

  /** Bytes of the finished files, for progress. */
  finishedSizes(): number[] {
    return [...this.finished.values()].map((file) => file.size);
  }

  stats(): { openFiles: number; finishedFiles: number; newIds: number } {
    return { openFiles: this.open.size, finishedFiles: this.finished.size, newIds: this.newIds.size };
  }

  async closeAll(): Promise<void> {
    for (const file of this.open.values()) await file.tailer.close();
    this.open.clear();
    this.openById.clear();
  }

  private forgetFinished(key: string): void {
    const done = this.finished.get(key);
    if (!done) return;
    this.finished.delete(key);
    this.dropFinishedId(done.fileId);
  }

  private dropFinishedId(fileId: string): void {
    const count = (this.finishedIds.get(fileId) ?? 0) - 1;
    if (count > 0) this.finishedIds.set(fileId, count);
    else this.finishedIds.delete(fileId);
  }
}
