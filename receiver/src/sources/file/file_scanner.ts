import { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { sep } from 'node:path';
import type { FileContext } from './file_context.js';
import type { FileIdentifier } from './file_identifier.js';
import type { GzipFiles } from './gzip_files.js';
import type { PathWatcher } from './path_watcher.js';
import { orderOldestFirst } from '../rotation_order.js';
import { fileKey } from './tracked_file.js';

/** New files opened at once while scanning. */
const OPEN_CONCURRENCY = 32;
/** Paths stat'ed at once while scanning. */
const STAT_CONCURRENCY = 64;

/** A file that appeared at `path` with these stats, in this poll. */
export interface SeenFile {
  path: string;
  stats: Stats;
}

/** One look at the watched paths: which files are there, which moved, which are new. */
export class FileScanner {
  constructor(
    private readonly context: FileContext,
    private readonly watcher: PathWatcher,
    private readonly identifier: FileIdentifier,
    private readonly gzip: GzipFiles,
  ) {}

  /**
   * Lists the watched files, notices rotation and truncation, and identifies new files. Returns
   * true when something changed (a file grew, shrank, moved or appeared).
   */
  async scan(initial: boolean, atEnd: boolean): Promise<boolean> {
    const { identifier, context } = this;
    const { files, options } = context;
    const seen = new Map<string, SeenFile>();
    const keyAt = new Map<string, string>();
    let changed = false;
    const listed: SeenFile[] = [];
    // The files the watched paths hold, in the order they are considered.
    const paths = (await this.watcher.list()).filter((path) => {
      // The receiver's own files (its log, checkpoints, store) are never read back, unless named.
      const inDataDir = path === options.dataDir || path.startsWith(options.dataDir + sep);
      return !inDataDir || this.watcher.isNamedFile(path);
    });
    // Stats run many at once: one after the other, 10,000 files cost 10,000 round trips.
    for (let i = 0; i < paths.length; i += STAT_CONCURRENCY) {
      const chunk = paths.slice(i, i + STAT_CONCURRENCY);
      const results = await Promise.all(chunk.map((path) => stat(path).catch((error: NodeJS.ErrnoException) => error)));
      for (const [n, path] of chunk.entries()) {
        const stats = results[n];
        if (!(stats instanceof Stats)) {
          if ((stats as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT') context.warnOnce('stat', path, stats);
          continue;
        }
        if (!stats.isFile()) continue;
        keyAt.set(path, fileKey(stats));
        listed.push({ path, stats });
      }
    }
    // New files are opened and queued in this order: each rotation set oldest first (see rotation_order.ts).
    for (const found of orderOldestFirst(listed, (f) => ({ path: f.path, mtimeMs: f.stats.mtimeMs }))) {
      const key = fileKey(found.stats);
      if (!seen.has(key)) seen.set(key, found);
    }
    for (const file of files.openFiles()) {
      if (await identifier.check(file, seen.get(file.key), keyAt.get(file.originPath) === file.key)) changed = true;
    }
    const live: string[] = [];
    const fresh: Array<[string, SeenFile]> = [];
    for (const [key, found] of seen) {
      const known = files.atKey(key) ?? files.finishedAt(key, found.stats);
      if (known) {
        live.push(known.fileId);
      } else if (found.path.endsWith('.gz')) {
        // At start-up the copies already there are read first (the oldest of their set) without
        // waiting a poll for their size to settle.
        await this.gzip.consider(key, found, atEnd || initial);
      } else {
        fresh.push([key, found]);
      }
    }
    // New files are opened and their heads read many at once (a directory of 10,000 files is
    // otherwise 40,000 waits in a row); what each one is, is decided one at a time.
    for (let i = 0; i < fresh.length; i += OPEN_CONCURRENCY) {
      const opened = await Promise.all(fresh.slice(i, i + OPEN_CONCURRENCY).map(([key, found]) => identifier.open(key, found)));
      for (const file of opened) {
        if (!file) continue;
        await identifier.identify(file, { initial, atEnd });
        // A file that cannot be identified yet (empty, a first line unfinished) is no change to wake up for.
        if (files.atKey(file.key)) changed = true;
      }
    }
    // What was kept of files no longer present goes: a directory of short-lived files stays small.
    const present = new Set(seen.keys());
    files.forgetAbsent(present);
    identifier.forgetAbsent(present);
    this.gzip.forgetAbsent(present);
    context.committer.touch(live);
    if (files.newIds.size > 0) await this.persistNewIds();
    return changed;
  }

  stats(): Record<string, number> {
    return { ...this.identifier.stats(), ...this.gzip.stats() };
  }

  /** A new file's id is on disk before any of its lines is handed on, so a crash cannot change it. */
  private async persistNewIds(): Promise<void> {
    const { committer, files } = this.context;
    try {
      await committer.flush();
      files.newIds.clear();
    } catch (error) {
      this.context.warnOnce('persist', committer.path, error);
      for (const file of files.openFiles()) if (files.newIds.has(file.fileId)) await files.release(file);
      this.gzip.drop(files.newIds);
    }
  }
}
