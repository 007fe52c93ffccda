import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { sep } from 'node:path';
import type { CheckpointStore } from '../../checkpoint/checkpoint_store.js';
import type { FileIdentifier } from './file_identifier.js';
import type { FileSource } from './file_source.js';
import type { GzipFiles } from './gzip_files.js';
import type { PathWatcher } from './path_watcher.js';
import { SourceError } from '../source_error.js';
import { fileKey, type FinishedFile } from './tracked_file.js';

/** A file that appeared at `path` with these stats, in this poll. */
export interface SeenFile {
  path: string;
  stats: Stats;
}

/** One look at the watched paths: which files are there, which moved, which are new. */
export class FileScanner {
  private readonly source: FileSource;
  private readonly store: CheckpointStore;
  private readonly watcher: PathWatcher;
  private readonly identifier: FileIdentifier;
  private readonly gzip: GzipFiles;

  constructor(source: FileSource, store: CheckpointStore, watcher: PathWatcher, identifier: FileIdentifier, gzip: GzipFiles) {
    this.source = source;
    this.store = store;
    this.watcher = watcher;
    this.identifier = identifier;
    this.gzip = gzip;
  }

  /** Lists the watched files, notices rotation and truncation, and identifies new files. */
  async scan(initial: boolean, atEnd: boolean): Promise<void> {
    const identifier = this.identifier;
    const seen = new Map<string, SeenFile>();
    const keyAt = new Map<string, string>();
    for (const path of await this.watcher.list()) {
      // The receiver's own files (its log, checkpoints, store) are never read back, unless named.
      const inDataDir = path === this.source.options.dataDir || path.startsWith(this.source.options.dataDir + sep);
      if (inDataDir && !this.watcher.isNamedFile(path)) continue;
      let stats: Stats;
      try {
        stats = await stat(path);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT') this.source.warnOnce(code ?? 'stat', path, new SourceError(`stat ${path}: ${code}`, path, { cause: error }));
        continue;
      }
      if (!stats.isFile()) continue;
      const key = fileKey(stats);
      keyAt.set(path, key);
      if (!seen.has(key)) seen.set(key, { path, stats });
    }
    for (const file of [...this.source.tracked.values()]) await identifier.check(file, seen.get(file.key), keyAt.get(file.originPath) === file.key);
    const live: string[] = [];
    for (const [key, found] of seen) {
      const known = this.source.tracked.get(key) ?? this.finishedAt(key, found.stats);
      if (known) {
        live.push(known.fileId);
        continue;
      }
      if (found.path.endsWith('.gz')) {
        await this.gzip.consider(key, found, atEnd);
      } else {
        await identifier.identify(key, found, { initial, atEnd });
      }
    }
    const store = this.store;
    store.touch(live);
    if (this.source.newIds.size > 0) await this.persistNewIds(store);
  }

  /** A new file's id is on disk before any of its lines is handed on, so a crash cannot change it. */
  private async persistNewIds(store: CheckpointStore): Promise<void> {
    try {
      await store.flush();
      this.source.newIds.clear();
    } catch (error) {
      this.source.warnOnce('persist', store.path, error);
      for (const file of [...this.source.tracked.values()]) if (this.source.newIds.has(file.fileId)) await this.source.release(file);
      this.gzip.drop(this.source.newIds);
    }
  }

  private finishedAt(key: string, stats: Stats): FinishedFile | undefined {
    const done = this.source.finished.get(key);
    if (done && done.size === stats.size && done.mtimeMs === stats.mtimeMs) return done;
    this.source.finished.delete(key);
    return undefined;
  }
}
