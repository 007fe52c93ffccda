import { open, stat } from 'node:fs/promises';

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  ELOOP: 'too many levels of symbolic links',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
};

/** `permission denied (EACCES)`: what an operator reads, and the code to search for. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return error instanceof Error ? error.message : String(error);
  const reason = REASONS[code];
  return reason === undefined ? code : `${reason} (${code})`;
}

/** A path given to read that cannot be: one line, naming the path and the reason, no stack. */
export class UnreadablePathError extends Error {
  override readonly name = 'UnreadablePathError';
  readonly path: string;
  readonly reason: string;

  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super(`cannot read ${path}: ${reason}`, options);
    this.path = path;
    this.reason = reason;
  }
}

/** What a path named on the command line is, once checked readable. */
export type NamedPathKind = 'file' | 'dir' | 'stream';

/**
 * Checks a path named on the command line: a regular file or a directory, or a FIFO (a named
 * pipe, a process substitution's `/dev/fd/63`) that is read as a stream like stdin. Anything else
 * (a character device such as /dev/zero, a socket) is refused rather than silently skipped.
 */
export async function checkNamedPath(path: string): Promise<NamedPathKind> {
  let stats;
  try {
    stats = await stat(path);
  } catch (cause) {
    throw new UnreadablePathError(path, describeFsError(cause), { cause });
  }
  if (stats.isDirectory()) return 'dir';
  if (stats.isFIFO()) return 'stream';
  if (!stats.isFile()) {
    const kind = stats.isCharacterDevice() ? 'a character device' : stats.isBlockDevice() ? 'a block device' : stats.isSocket() ? 'a socket' : 'not a regular file';
    throw new UnreadablePathError(path, `${kind}, not a log file`);
  }
  try {
    const fh = await open(path, 'r');
    await fh.close();
  } catch (cause) {
    throw new UnreadablePathError(path, describeFsError(cause), { cause });
  }
  return 'file';
}
