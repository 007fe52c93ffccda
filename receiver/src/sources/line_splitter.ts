import type { RawLine } from '../model/line_batch.js';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Cuts a byte stream into lines, keeping the byte offset of each line's first byte exact (bytes,
 * not characters, so multi-byte UTF-8 does not shift it). `\n` ends a line and a `\r` before it is
 * dropped. A line longer than `maxLineBytes` is cut to that size (on a character boundary) and
 * marked truncated; the rest of it is skipped, holding at most `maxLineBytes` in memory.
 */
export class LineSplitter {
  private readonly maxLineBytes: number;
  /** Offset just past the last `\n` seen: where reading resumes once these lines are stored. */
  private end: number;
  /** Bytes of the unfinished line kept so far (at most maxLineBytes + 1, to see a final `\r`). */
  private pending: Buffer[] = [];
  private pendingKept = 0;
  /** Bytes of the unfinished line seen so far, kept or not. */
  private pendingTotal = 0;
  private lastByte = -1;

  constructor(startOffset: number, maxLineBytes: number) {
    this.end = startOffset;
    this.maxLineBytes = maxLineBytes;
  }

  /** Offset just past the last complete line. */
  get lineEnd(): number {
    return this.end;
  }

  /** Bytes of an unfinished line waiting for its `\n`. */
  get pendingBytes(): number {
    return this.pendingTotal;
  }

  /** Splits `chunk` (the bytes that follow everything pushed before) and appends complete lines to `out`. */
  push(chunk: Buffer, out: RawLine[]): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(LF, start);
      if (nl === -1) {
        this.keep(chunk, start, chunk.length);
        return;
      }
      if (this.pendingTotal === 0) {
        out.push(this.line(chunk, start, nl, nl - start, nl > start ? (chunk[nl - 1] ?? -1) : -1));
        this.end += nl - start + 1;
      } else {
        this.keep(chunk, start, nl);
        out.push(this.line(Buffer.concat(this.pending, this.pendingKept), 0, this.pendingKept, this.pendingTotal, this.lastByte));
        this.end += this.pendingTotal + 1;
        this.resetPending();
      }
      start = nl + 1;
    }
  }

  /** The unterminated rest as a last line (when the file will not grow), or undefined if none. */
  flushPartial(): RawLine | undefined {
    if (this.pendingTotal === 0) return undefined;
    const line = this.line(Buffer.concat(this.pending, this.pendingKept), 0, this.pendingKept, this.pendingTotal, this.lastByte);
    this.end += this.pendingTotal;
    this.resetPending();
    return line;
  }

  /**
   * The line starting at `this.end` whose bytes are `buf[from, to)`, `total` bytes long in the
   * file (more than `to - from` when its middle was skipped), `last` being its last byte.
   */
  private line(buf: Buffer, from: number, to: number, total: number, last: number): RawLine {
    const contentBytes = last === CR ? total - 1 : total;
    if (contentBytes <= this.maxLineBytes) {
      return { offset: this.end, text: buf.toString('utf8', from, from + contentBytes) };
    }
    let cut = Math.min(to, from + this.maxLineBytes);
    // Cut before a character whose bytes would not all fit, rather than keep half of it.
    while (cut > from && ((buf[cut] ?? 0) & 0xc0) === 0x80) cut--;
    return { offset: this.end, text: buf.toString('utf8', from, cut), truncated: true };
  }

  private keep(chunk: Buffer, from: number, to: number): void {
    if (to <= from) return;
    this.lastByte = chunk[to - 1] ?? -1;
    this.pendingTotal += to - from;
    const room = this.maxLineBytes + 1 - this.pendingKept;
    if (room <= 0) return;
    const slice = chunk.subarray(from, Math.min(to, from + room));
    this.pending.push(Buffer.from(slice));
    this.pendingKept += slice.length;
  }

  private resetPending(): void {
    this.pending = [];
    this.pendingKept = 0;
    this.pendingTotal = 0;
    this.lastByte = -1;
  }
}
