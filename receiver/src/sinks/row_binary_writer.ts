import { GrowableBuffer } from './growable_buffer.js';
import { writeUtf8 } from './utf8_write.js';

const TWO_32 = 0x1_0000_0000;
/** Distinct values `cachedString` keeps per cache: enough for any label-like column. */
const CACHED_VALUES = 4096;

/** Bytes of `n` as an unsigned LEB128 varint. */
function varintBytes(n: number): number {
  let bytes = 1;
  for (let v = n; v >= 0x80; v = Math.floor(v / 0x80)) bytes++;
  return bytes;
}

/**
 * Writes a ClickHouse RowBinary body field by field into one growing buffer: strings as a LEB128
 * byte length then their UTF-8 bytes (nothing to escape), numbers little-endian. Lone surrogates
 * become U+FFFD, as `Buffer.from(text)` and the TabSeparated body turn them.
 */
export class RowBinaryWriter extends GrowableBuffer {

  /**
   * A String: the text is written once, after room for the length of its longest encoding (3
   * bytes a UTF-16 unit), and moved back in the rare case its real length needs fewer bytes; no
   * separate pass to measure it. Needs `value.length * 3 + 5` bytes reserved.
   */
  string(value: string): void {
    const buffer = this.buffer;
    const at = this.length;
    const room = varintBytes(value.length * 3);
    const written = writeUtf8(buffer, value, at + room);
    const needed = varintBytes(written);
    if (needed < room) buffer.copyWithin(at + needed, at + room, at + room + written);
    let v = written;
    let i = at;
    while (v >= 0x80) {
      buffer[i++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 0x80);
    }
    buffer[i] = v;
    this.length = at + needed + written;
  }

  /**
   * A String of a column with few distinct values (source, method, section…): its encoded bytes
   * are kept in `cache` (up to `CACHED_VALUES` values) and copied, which costs less than encoding
   * the text again for every row. Needs `value.length * 3 + 5` bytes reserved.
   */
  cachedString(value: string, cache: Map<string, Buffer>): void {
    let encoded = cache.get(value);
    if (encoded === undefined) {
      if (cache.size >= CACHED_VALUES) {
        this.string(value);
        return;
      }
      const text = Buffer.from(value, 'utf8');
      const prefix = varintBytes(text.length);
      encoded = Buffer.allocUnsafe(prefix + text.length);
      let v = text.length;
      let i = 0;
      while (v >= 0x80) {
        encoded[i++] = (v & 0x7f) | 0x80;
        v = Math.floor(v / 0x80);
      }
      encoded[i] = v;
      text.copy(encoded, prefix);
      cache.set(value, encoded);
    }
    const buffer = this.buffer;
    let at = this.length;
    // A byte loop beats Buffer#copy's call overhead on the few bytes these values take.
    for (let i = 0; i < encoded.length; i++) buffer[at++] = encoded[i] as number;
    this.length = at;
  }

  /** UInt16: `value` must be a whole number in 0..65535. */
  uint16(value: number): void {
    const buffer = this.buffer;
    buffer[this.length++] = value & 0xff;
    buffer[this.length++] = value >>> 8;
  }

  /** UInt32: `value` must be a whole number in 0..2^32-1. */
  uint32(value: number): void {
    this.buffer.writeUInt32LE(value, this.length);
    this.length += 4;
  }

  /** Int64 (also UInt64 and DateTime64(3) milliseconds): `value` must be a safe integer. */
  int64(value: number): void {
    const high = Math.floor(value / TWO_32);
    const low = value - high * TWO_32;
    this.buffer.writeUInt32LE(low, this.length);
    this.buffer.writeInt32LE(high, this.length + 4);
    this.length += 8;
  }

  /** UInt64 from a bigint, its low 64 bits. */
  uint64(value: bigint): void {
    this.buffer.writeBigUInt64LE(BigInt.asUintN(64, value), this.length);
    this.length += 8;
  }
}
