import { closeSync, openSync, writeSync } from 'node:fs';
import { appendFile, rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';

let sequence = 0;

/** A new body file name under `dir`: the process id first, so a later start knows whose it is. */
export function bodyPath(dir: string, extension: 'bin' | 'tsv'): string {
  return join(dir, `${process.pid}-${Date.now()}-${sequence++}.${extension}`);
}

/**
 * An insert body written to disk as it is encoded, chunk by chunk, so that a batch waiting for
 * its insert costs a file in the page cache instead of tens of megabytes of the process's memory.
 *
 * Appending never throws: when the disk refuses a chunk (full, read-only), that chunk and the
 * ones after it are kept in memory and `complete()` writes them once the disk takes them again,
 * after cutting the file back to the bytes known to be written. The insert's retry loop calls
 * `complete()` before each attempt, so a disk that recovers loses nothing.
 */
export class BodyFile {
  #fd: number | undefined;
  /** Bytes known to be in the file, in order. */
  #written = 0;
  /** Chunks the disk refused, in order after `#written`. */
  #pending: Buffer[] = [];

  constructor(readonly path: string) {}

  /** Adds `bytes` at the end of the body; the caller may reuse `bytes` afterwards. */
  append(bytes: Buffer): void {
    let at = 0;
    if (this.#pending.length === 0) {
      try {
        this.#fd ??= openSync(this.path, 'a');
        while (at < bytes.length) {
          const n = writeSync(this.#fd, bytes, at, bytes.length - at);
          if (n <= 0) throw new Error(`no room to write ${this.path}`);
          at += n;
          this.#written += n;
        }
        return;
      } catch {
        this.#closeFd();
      }
    }
    // Kept from the first byte the disk did not take.
    this.#pending.push(Buffer.from(bytes.subarray(at)));
  }

  /** Makes the file hold the whole body; rejects while the disk still refuses it. */
  async complete(): Promise<void> {
    this.#closeFd();
    if (this.#pending.length === 0) {
      if (this.#written === 0) await appendFile(this.path, '');
      return;
    }
    const rest = Buffer.concat(this.#pending);
    await appendFile(this.path, '');
    await truncate(this.path, this.#written);
    await appendFile(this.path, rest);
    this.#written += rest.length;
    this.#pending = [];
  }

  /** Deletes the file: once the body is stored, or given up. */
  async remove(): Promise<void> {
    this.#closeFd();
    this.#pending = [];
    await rm(this.path, { force: true });
  }

  #closeFd(): void {
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // Closing a file we only wrote to fails only when the writes did; they are redone anyway.
    }
  }
}
