import { createHash } from 'node:crypto';

/**
 * The event id ("line hash"): 64 bits from (file identity, byte offset). Re-reading the same bytes
 * gives the same id; identical lines at different offsets get different ids.
 *
 * Per file, a 64-bit key is derived once from the file identity (SHA-256); per line, the offset is
 * mixed into that key with murmur3's 32-bit finalizer, which is a bijection, so two offsets of the
 * same file below 4 GiB never collide. A cryptographic hash per line would cost about a microsecond,
 * which at a million lines a second is the whole budget.
 */
export interface FileKey {
  readonly a: number;
  readonly b: number;
}

const GOLDEN = 0x9e3779b9;
const TWO_POW_32 = 0x1_0000_0000;

// The two halves are joined through one 64-bit slot: a single BigInt is made per id, where
// `(BigInt(hi) << 32n) | BigInt(lo)` makes four and measured twice as slow.
const halves = new Uint32Array(2);
const joined = new BigUint64Array(halves.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = LITTLE_ENDIAN ? 1 : 0;

function fmix32(input: number): number {
  let h = input;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function fileKey(fileId: string): FileKey {
  const digest = createHash('sha256').update(fileId).digest();
  return { a: digest.readUInt32LE(0), b: digest.readUInt32LE(4) };
}

/** The keys of the files in use, each derived once (a SHA-256 per file, not per line). */
export class FileKeyCache {
  private readonly keys = new Map<string, FileKey>();

  get(fileId: string): FileKey {
    let key = this.keys.get(fileId);
    if (!key) {
      key = fileKey(fileId);
      this.keys.set(fileId, key);
    }
    return key;
  }

  /** The file is finished: its key can go. */
  delete(fileId: string): void {
    this.keys.delete(fileId);
  }

  get size(): number {
    return this.keys.size;
  }
}

/** Id of the line starting at `offset` (a non-negative integer) in the file known by `key`. */
export function eventIdAt(key: FileKey, offset: number): bigint {
  const lo32 = offset >>> 0;
  const hi32 = Math.floor(offset / TWO_POW_32) >>> 0;
  const lo = fmix32((key.a ^ fmix32(lo32 ^ Math.imul(hi32, GOLDEN))) >>> 0);
  const hi = fmix32((key.b ^ fmix32(hi32 ^ Math.imul(lo32 + 0x632be5ab, GOLDEN))) >>> 0);
  halves[LO] = lo;
  halves[HI] = hi;
  return joined[0] as bigint;
}

/**
 * Id of a line that arrived without a file offset (stdin, a FIFO): (stream, content, position of
 * the line in the whole stream). The position makes two identical lines two events however far
 * apart, whatever the batching; the content keeps two different streams read by the same name
 * apart, and the same bytes piped in again get the same ids (stored once). It costs no memory per
 * line, where counting the ordinal of every distinct content would hold one entry per distinct
 * line for the stream's life: a stream has no redelivery across restarts to need more.
 */
export function eventIdForContent(stream: string, text: string, position: number): bigint {
  const digest = createHash('sha256').update(stream).update('\0').update(text).update('\0').update(String(position)).digest();
  return digest.readBigUInt64LE(0);
}
