import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic_write.js';
import { CheckpointError } from './checkpoint_error.js';
import { parseCheckpoints, serializeCheckpoints, type CheckpointEntry } from './checkpoint_format.js';
import { FingerprintIndex } from './fingerprint_index.js';

/** Default of `maxGoneFiles` (`checkpoint_max_gone_files`): about 20 MB of checkpoints at most. */
export const DEFAULT_MAX_GONE_FILES = 100_000;

export interface CheckpointStoreOptions {
  /** Directory holding `checkpoints.json`; created if missing. */
  dataDir: string;
  /** Committed offsets are written at most this often. @default 1000 */
  commitIntervalMs?: number;
  /** Entries of files not seen in any watched path for this long are dropped. @default 86_400_000 (one day) */
  retentionMs?: number;
  /**
   * At most this many entries of gone files are kept (files not open, not waiting for an ack and
   * not seen in the latest look at the watched paths); the ones seen longest ago go first. Files
   * still present never count towards it. @default 100_000
   */
  maxGoneFiles?: number;
  /** True for a file id still in use (open, awaiting acks, or present): never pruned. @default none is */
  inUse?: (fileId: string) => boolean;
  /** Told how many entries of gone files a write dropped because of `maxGoneFiles`. @default ignores it */
  onEvict?: (count: number, oldestLastSeenMs: number) => void;
  /** Called when a background write fails (the next one retries). @default ignores it */
  onWriteError?: (error: CheckpointError) => void;
}

export const CHECKPOINT_FILE_NAME = 'checkpoints.json';

/**
 * `<dataDir>/checkpoints.json`: where every known file was acknowledged up to. Changes are kept in
 * memory and written atomically at most every `commitIntervalMs`, on `flush()` and on `close()`.
 */
export class CheckpointStore {
  readonly path: string;
  private readonly byId = new Map<string, CheckpointEntry>();
  private readonly commitIntervalMs: number;
  private readonly retentionMs: number;
  private readonly maxGoneFiles: number;
  private readonly inUse: (fileId: string) => boolean;
  private readonly onEvict: (count: number, oldestLastSeenMs: number) => void;
  /** Entries by the first bytes of their fingerprint, so matching a file does not scan them all. */
  private readonly index = new FingerprintIndex();
  private readonly onWriteError: (error: CheckpointError) => void;
  private dirty = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  private constructor(options: CheckpointStoreOptions, entries: CheckpointEntry[]) {
    this.path = join(options.dataDir, CHECKPOINT_FILE_NAME);
    this.commitIntervalMs = options.commitIntervalMs ?? 1000;
    this.retentionMs = options.retentionMs ?? 86_400_000;
    this.maxGoneFiles = options.maxGoneFiles ?? DEFAULT_MAX_GONE_FILES;
    this.inUse = options.inUse ?? (() => false);
    this.onEvict = options.onEvict ?? (() => {});
    this.onWriteError = options.onWriteError ?? (() => {});
    for (const entry of entries) this.set(entry);
  }

  /** Reads the store; a corrupt or unknown-version file fails here, naming its path. */
  static async open(options: CheckpointStoreOptions): Promise<CheckpointStore> {
    const path = join(options.dataDir, CHECKPOINT_FILE_NAME);
    try {
      await mkdir(options.dataDir, { recursive: true });
    } catch (cause) {
      throw new CheckpointError(`create ${options.dataDir}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, options.dataDir, { cause });
    }
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new CheckpointError(`read ${path}: ${code ?? cause}`, path, { cause });
    }
    return new CheckpointStore(options, text === undefined ? [] : parseCheckpoints(text, path));
  }

  entries(): IterableIterator<CheckpointEntry> {
    return this.byId.values();
  }

  /** The entries a file starting with `head` can be: those whose fingerprint shares its first bytes. */
  candidates(head: Buffer): Iterable<CheckpointEntry> {
    return this.index.candidates(head, this.byId);
  }

  get size(): number {
    return this.byId.size;
  }

  get(fileId: string): CheckpointEntry | undefined {
    return this.byId.get(fileId);
  }

  has(fileId: string): boolean {
    return this.byId.has(fileId);
  }

  /** Adds or replaces an entry. */
  put(entry: CheckpointEntry): void {
    this.set({ ...entry });
    this.changed();
  }

  /** Changes fields of an entry; unknown ids are ignored (the entry may have been pruned). */
  update(fileId: string, patch: Partial<Omit<CheckpointEntry, 'fileId'>>): void {
    const entry = this.byId.get(fileId);
    if (!entry) return;
    if (patch.fingerprint !== undefined && patch.fingerprint !== entry.fingerprint) {
      this.index.remove(entry);
      Object.assign(entry, patch);
      this.index.add(entry);
    } else {
      Object.assign(entry, patch);
    }
    this.changed();
  }

  /** Moves the acknowledged offset of a file forward (never back). */
  commit(fileId: string, offset: number): void {
    const entry = this.byId.get(fileId);
    if (!entry || offset <= entry.offset) return;
    entry.offset = offset;
    this.changed();
  }

  /** Marks files as still present, so they are not pruned; not worth a write by itself. */
  touch(fileIds: Iterable<string>, nowMs = Date.now()): void {
    for (const id of fileIds) {
      const entry = this.byId.get(id);
      if (entry) entry.lastSeenMs = nowMs;
    }
  }

  /** Writes pending changes now; resolves once they are on disk. Throws a CheckpointError on failure. */
  async flush(): Promise<void> {
    this.clearTimer();
    const run = this.writing.then(() => this.writeIfDirty());
    this.writing = run.catch(() => {});
    await run;
  }

  /** Writes pending changes and stops; later changes are kept in memory only. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return this.writing;
    await this.flush().catch((error: CheckpointError) => this.onWriteError(error));
    this.closed = true;
  }

  private changed(): void {
    this.dirty = true;
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((error: CheckpointError) => this.onWriteError(error));
    }, this.commitIntervalMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async writeIfDirty(): Promise<void> {
    if (!this.dirty || this.closed) return;
    this.dirty = false;
    this.prune(Date.now());
    try {
      await writeFileAtomic(this.path, serializeCheckpoints(this.byId.values()));
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }

  private set(entry: CheckpointEntry): void {
    const old = this.byId.get(entry.fileId);
    if (old) this.index.remove(old);
    this.byId.set(entry.fileId, entry);
    this.index.add(entry);
  }

  private delete(entry: CheckpointEntry): void {
    this.byId.delete(entry.fileId);
    this.index.remove(entry);
  }

  /**
   * Drops entries of files gone for longer than the retention, then the oldest gone ones beyond
   * `maxGoneFiles`. A file in use is never dropped: its later commits would be lost, and it would
   * be read again from its start after a restart.
   */
  private prune(nowMs: number): void {
    const gone: CheckpointEntry[] = [];
    for (const entry of this.byId.values()) {
      if (this.inUse(entry.fileId)) continue;
      if (nowMs - entry.lastSeenMs > this.retentionMs) this.delete(entry);
      else gone.push(entry);
    }
    if (gone.length <= this.maxGoneFiles) return;
    const evicted = gone.sort((a, b) => a.lastSeenMs - b.lastSeenMs).slice(0, gone.length - this.maxGoneFiles);
    for (const entry of evicted) this.delete(entry);
    this.onEvict(evicted.length, evicted[0]?.lastSeenMs ?? nowMs);
  }
}
