import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/**
 * Files are known by their first bytes, not by their path (as OpenTelemetry's fileconsumer and
 * Vector do): a rename keeps them, a truncation or a new file at the same path changes them.
 */
export const FINGERPRINT_BYTES = 1000;

/** Reads the first `FINGERPRINT_BYTES` (or fewer, if the file is shorter) of an open file. */
export async function readHead(fh: FileHandle): Promise<Buffer> {
  const buf = Buffer.alloc(FINGERPRINT_BYTES);
  let filled = 0;
  while (filled < buf.length) {
    const { bytesRead } = await fh.read(buf, filled, buf.length - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buf.subarray(0, filled);
}

/** True when `head` (a file's first bytes) starts with `fingerprint`: the same file, maybe grown. */
export function startsWith(head: Buffer, fingerprint: Buffer): boolean {
  return fingerprint.length > 0 && head.length >= fingerprint.length && head.compare(fingerprint, 0, fingerprint.length, 0, fingerprint.length) === 0;
}

/** True when the two heads agree on every byte both have. */
export function samePrefix(a: Buffer, b: Buffer): boolean {
  const n = Math.min(a.length, b.length);
  return a.compare(b, 0, n, 0, n) === 0;
}

/**
 * A file gets an identity once its first line is complete (its first bytes will not change any
 * more in an append-only file), or once its head is full, or at its end when nothing more will come.
 */
export function isIdentifiable(head: Buffer, atEnd: boolean): boolean {
  if (head.length === 0) return false;
  return atEnd || head.length >= FINGERPRINT_BYTES || head.includes(0x0a);
}

/**
 * A new file id: hex of a hash of the first bytes seen, plus a counter when another file already
 * holds that id (two files may start with the same header line).
 */
export function newFileId(head: Buffer, taken: (fileId: string) => boolean, prefix = ''): string {
  const base = `${prefix}${createHash('sha256').update(head).digest('hex').slice(0, 16)}`;
  if (!taken(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken(candidate)) return candidate;
  }
}
