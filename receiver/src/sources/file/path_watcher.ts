import { readdir, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { globBase, globDepth, globToRegExp, isGlob } from './glob.js';

/** One of the `PATH...` arguments, resolved. */
export type WatchedPath =
  | { kind: 'file'; path: string }
  | { kind: 'dir'; path: string }
  | { kind: 'glob'; path: string; base: string; depth: number; regex: RegExp };

/** Resolves the arguments: an existing directory is read recursively, a pattern is a glob, the rest are files. */
export async function classifyPaths(paths: readonly string[]): Promise<WatchedPath[]> {
  const out: WatchedPath[] = [];
  for (const raw of paths) {
    const path = resolve(raw);
    if (isGlob(path)) {
      out.push({ kind: 'glob', path, base: globBase(path), depth: globDepth(path), regex: globToRegExp(path) });
      continue;
    }
    const stats = await stat(path).catch(() => undefined);
    out.push({ kind: stats?.isDirectory() ? 'dir' : 'file', path });
  }
  return out;
}

/** Every file below `dir`, down to `maxDepth` levels of sub-directories; unreadable folders are left out. */
export async function walkFiles(dir: string, maxDepth = Infinity): Promise<string[]> {
  const files: string[] = [];
  const visit = async (current: string, depth: number): Promise<void> => {
    const entries = await readdir(current, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) {
        if (depth < maxDepth) await visit(full, depth + 1);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        files.push(full);
      }
    }
  };
  await visit(dir, 0);
  return files;
}

/**
 * Knows which files the watched paths hold now. Directories are followed with chokidar (new files
 * and new sub-folders show up as they appear, and wake the reader); globs are evaluated again on
 * every `list()`; plain files are always listed, existing or not. Without `follow`, directories
 * are simply walked.
 */
export class PathWatcher {
  private readonly specs: readonly WatchedPath[];
  private readonly onChange: () => void;
  private readonly follow: boolean;
  private readonly dirFiles = new Set<string>();
  private watcher: FSWatcher | undefined;

  constructor(specs: readonly WatchedPath[], follow: boolean, onChange: () => void) {
    this.specs = specs;
    this.follow = follow;
    this.onChange = onChange;
  }

  /** Starts watching; resolves once the directories' existing files are known. */
  async start(): Promise<void> {
    if (!this.follow) return;
    const dirs = this.specs.filter((spec) => spec.kind === 'dir').map((spec) => spec.path);
    const files = this.specs.filter((spec) => spec.kind === 'file').map((spec) => spec.path);
    if (dirs.length + files.length === 0) return;
    const underDir = (path: string) => dirs.some((dir) => path === dir || path.startsWith(dir + sep));
    const watcher = watch([...dirs, ...files], { ignoreInitial: false, ignorePermissionErrors: true, persistent: true });
    this.watcher = watcher;
    watcher.on('add', (path) => {
      if (underDir(path)) this.dirFiles.add(path);
      this.onChange();
    });
    watcher.on('unlink', (path) => {
      this.dirFiles.delete(path);
      this.onChange();
    });
    watcher.on('unlinkDir', (path) => {
      for (const file of this.dirFiles) if (file.startsWith(path + sep)) this.dirFiles.delete(file);
    });
    // An append ends an idle wait early (no sooner than the poll interval, so a busy log is not
    // a busy loop); where the filesystem gives no events, the poll finds it.
    watcher.on('change', () => this.onChange());
    watcher.on('addDir', () => this.onChange());
    // Errors (a folder that vanished while being read) are recovered by the next poll.
    watcher.on('error', () => {});
    await new Promise<void>((resolveReady) => watcher.once('ready', () => resolveReady()));
  }

  /** True for a path given by name (not found in a directory or by a glob). */
  isNamedFile(path: string): boolean {
    return this.specs.some((spec) => spec.kind === 'file' && spec.path === path);
  }

  /** The files the watched paths hold now, each once. */
  async list(): Promise<string[]> {
    const out = new Set<string>();
    for (const spec of this.specs) {
      if (spec.kind === 'file') {
        out.add(spec.path);
      } else if (spec.kind === 'dir') {
        const files = this.follow ? this.dirFiles : await walkFiles(spec.path);
        for (const file of files) out.add(file);
      } else {
        for (const file of await walkFiles(spec.base, spec.depth)) if (spec.regex.test(file)) out.add(file);
      }
    }
    return [...out];
  }

  async close(): Promise<void> {
    await this.watcher?.close();
    this.watcher = undefined;
  }
}
