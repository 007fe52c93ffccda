import type { FileHandle } from 'node:fs/promises';
import type { FileTailer } from './file_tailer.js';

/** A plain file open for reading in this run. */
export interface TrackedFile {
  readonly fileId: string;
  /** `dev:ino` of the open file. */
  readonly key: string;
  /** Path it was last seen at (changes on rename). */
  path: string;
  /** Path it was found at; once another file (or none) is there, this one was rotated away. */
  readonly originPath: string;
  readonly tailer: FileTailer;
  /** First bytes as recorded in its checkpoint (grows up to the fingerprint size). */
  fingerprint: Buffer;
  /** Size at the last check. */
  size: number;
  rotated: boolean;
  /** No name links to it any more (deleted after rotation): nothing will write to it. */
  deleted: boolean;
  /** Since when reading finds nothing new, undefined while it grows. */
  idleSinceMs: number | undefined;
  /** Failed batches in a row; the file is read again from the failed batch at `retryAtMs`. */
  failures: number;
  retryAtMs: number;
}

/** What is remembered about a file this run finished reading (a drained rotated file, a read .gz). */
export interface FinishedFile {
  fileId: string;
  size: number;
  mtimeMs: number;
}

export function fileKey(stats: { dev: number; ino: number }): string {
  return `${stats.dev}:${stats.ino}`;
}

/** Start of the line after the last newline before `size`: where `startAt: 'end'` begins, so a half-written line is read whole. */
export async function lastLineStart(fh: FileHandle, size: number): Promise<number> {
  const length = Math.min(size, 64 * 1024);
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, size - length);
  const nl = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
  return nl === -1 ? size : size - length + nl + 1;
}
