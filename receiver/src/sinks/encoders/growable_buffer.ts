/**
 * One insert body being written: a buffer that doubles when a row needs more room, or, given
 * `spill`, a buffer of fixed size whose bytes are handed to `spill` (and the buffer reused) when
 * the next row does not fit. The row writers (RowBinary, TabSeparated) extend it with their field
 * encodings.
 */
export class GrowableBuffer {
  protected buffer: Buffer;
  protected length = 0;
  /** Bytes handed to `spill` so far. */
  #spilled = 0;

  constructor(initialBytes: number, private readonly spill?: (bytes: Buffer) => void) {
    this.buffer = Buffer.allocUnsafe(Math.max(initialBytes, 4096));
  }

  /** Makes room for `bytes` more bytes: call before each row with its worst case. */
  reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    if (this.spill !== undefined && this.length > 0) {
      this.spill(this.buffer.subarray(0, this.length));
      this.#spilled += this.length;
      this.length = 0;
      if (bytes <= this.buffer.length) return;
    }
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  /** Bytes written so far, spilled ones included: where the next byte goes in the whole body. */
  get position(): number {
    return this.#spilled + this.length;
  }

  /** What was written and not spilled (a view, not a copy). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}
