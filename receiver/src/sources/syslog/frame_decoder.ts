/**
 * RFC 6587 framing of one TCP connection, chosen from its first byte: a digit means octet
 * counting (`119 <190>...`, rsyslog's `TCP_Framing="octet-counted"`, `logger --octet-count`),
 * anything else LF-delimited frames (non-transparent framing, what most senders write).
 */
export type Framing = 'octet-counted' | 'lf';

export type FrameEvent =
  | { kind: 'frame'; bytes: Buffer }
  /** A frame longer than the limit: its bytes are skipped and the stream stays in step. */
  | { kind: 'too_large' };

/** The octet count cannot be read: the stream cannot be brought back in step, so the connection ends. */
export class FramingError extends Error {
  constructor(message: string) {
    super(`syslog: ${message}`);
    this.name = 'FramingError';
  }
}

const LF = 0x0a;
const SPACE = 0x20;
const MAX_COUNT_DIGITS = 9;

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

/**
 * Cuts a connection's bytes into frames. Memory stays bounded by `maxFrameBytes`: an LF frame
 * that grows past it is reported once and skipped up to its LF; an octet-counted frame declared
 * longer is skipped by its count.
 */
export class FrameDecoder {
  private framing: Framing | undefined;
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** Bytes still to be thrown away: the rest of a frame found too large. -1: up to the next LF. */
  private skipping = 0;
  /** Octet counting: the count being read (its digits so far), then the length of the frame being collected. */
  private countDigits = 0;
  private count = 0;
  private frameLength = -1;

  constructor(private readonly maxFrameBytes: number) {}

  get mode(): Framing | undefined {
    return this.framing;
  }

  /** True while part of a frame has been read and its end has not. */
  get partial(): boolean {
    return this.heldBytes > 0 || this.countDigits > 0 || this.frameLength >= 0 || this.skipping !== 0;
  }

  /** Appends the frames found in `chunk` to `out`; throws FramingError on an unreadable octet count. */
  push(chunk: Buffer, out: FrameEvent[]): void {
    if (chunk.length === 0) return;
    this.framing ??= isDigit(chunk[0]) ? 'octet-counted' : 'lf';
    if (this.framing === 'lf') this.pushLf(chunk, out);
    else this.pushCounted(chunk, out);
  }

  private pushLf(chunk: Buffer, out: FrameEvent[]): void {
    let start = 0;
    while (start < chunk.length) {
      const lf = chunk.indexOf(LF, start);
      const end = lf < 0 ? chunk.length : lf;
      if (this.skipping === -1) {
        if (lf >= 0) this.skipping = 0;
      } else if (this.heldBytes + (end - start) > this.maxFrameBytes) {
        out.push({ kind: 'too_large' });
        this.drop();
        this.skipping = lf < 0 ? -1 : 0;
      } else if (lf < 0) {
        this.hold(chunk.subarray(start, end));
      } else {
        this.hold(chunk.subarray(start, end));
        const bytes = this.take();
        // Blank lines between frames (a CRLF sender's stray LF) are no messages.
        if (bytes.length > 0 && !(bytes.length === 1 && bytes[0] === 0x0d)) out.push({ kind: 'frame', bytes });
      }
      if (lf < 0) return;
      start = lf + 1;
    }
  }

  private pushCounted(chunk: Buffer, out: FrameEvent[]): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.skipping > 0) {
        const n = Math.min(this.skipping, chunk.length - i);
        this.skipping -= n;
        i += n;
        continue;
      }
      if (this.frameLength < 0) {
        const byte = chunk[i] as number;
        i++;
        if (isDigit(byte)) {
          if (this.countDigits >= MAX_COUNT_DIGITS) throw new FramingError('octet count longer than 9 digits');
          this.count = this.count * 10 + (byte - 0x30);
          this.countDigits++;
        } else if (byte === SPACE && this.countDigits > 0) {
          const length = this.count;
          this.count = 0;
          this.countDigits = 0;
          if (length === 0) throw new FramingError('octet count is 0');
          if (length > this.maxFrameBytes) {
            out.push({ kind: 'too_large' });
            this.skipping = length;
          } else {
            this.frameLength = length;
          }
        } else if ((byte === LF || byte === 0x0d) && this.countDigits === 0) {
          // Some senders end each counted frame with an LF as well: tolerated between frames.
        } else {
          throw new FramingError(`expected an octet count, got byte 0x${byte.toString(16).padStart(2, '0')}`);
        }
        continue;
      }
      const n = Math.min(this.frameLength - this.heldBytes, chunk.length - i);
      this.hold(chunk.subarray(i, i + n));
      i += n;
      if (this.heldBytes === this.frameLength) {
        out.push({ kind: 'frame', bytes: this.take() });
        this.frameLength = -1;
      }
    }
  }

  private hold(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.held.push(bytes);
    this.heldBytes += bytes.length;
  }

  private take(): Buffer {
    const bytes = this.held.length === 1 ? (this.held[0] as Buffer) : Buffer.concat(this.held, this.heldBytes);
    this.drop();
    return bytes;
  }

  private drop(): void {
    this.held = [];
    this.heldBytes = 0;
  }
}
