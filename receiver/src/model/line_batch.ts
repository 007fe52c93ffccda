/**
 * What sources hand to the pipeline: consecutive lines of one file (or stream), and the
 * acknowledgement that lets the source move its checkpoint forward once every event made from
 * these lines is stored.
 */

export interface RawLine {
  /** Byte offset of the line's first byte in its file, -1 when the line has no offset (stdin, OTLP). */
  offset: number;
  /** The line without its ending (LF or CRLF removed). */
  text: string;
  /** True when the line was longer than max_line_bytes and was cut. */
  truncated?: boolean;
  /**
   * The line's event id when its source knows it better than (fileId, offset) can say: lines
   * shipped over OTLP carry their own identity (see sources/otlp/otlp_identity.ts).
   */
  eventId?: bigint;
  /**
   * For a line without an offset (offset -1): where its first byte is in its stream, counted from
   * the stream's start. With the content it makes the event id, so the id does not depend on how
   * lines fell into batches, and two identical lines are two events however far apart.
   */
  position?: number;
}

export interface LineBatch {
  /** Source name (host). */
  source: string;
  /** Path the lines were read from, '' when none. */
  file: string;
  /**
   * Identity of the file (its fingerprint, hex), stable across renames; for offset-less streams
   * the stream's name. The event id hashes this with the offset.
   */
  fileId: string;
  /** Format forced for or detected on this file; undefined lets the pipeline detect it. */
  format?: string;
  lines: RawLine[];
  /**
   * True when the lines were read on another host (OTLP): `file` is a path there, and the
   * pipeline never reads this disk to learn the file's header lines.
   */
  remote?: boolean;
  /**
   * Called once, after every event made from these lines has been acknowledged by the sink. A
   * function of its own (not a method): the sink keeps only it until the rows are stored, not
   * the batch and its lines.
   */
  readonly ack: () => void;
}

/**
 * Accepts a batch. The returned promise resolves when the pipeline has room for more: a source
 * awaits it before reading on, which is how backpressure reaches the files.
 */
export type BatchHandler = (batch: LineBatch) => Promise<void>;

/** How the lines of one batch ended: invalid lines are counted and skipped, never stored. */
export interface BatchOutcome {
  parsed: number;
  invalid: number;
}

/**
 * A BatchHandler that also says how the batch's lines parsed, for sources that answer their
 * sender per request (OTLP's partial success). The pipeline's `handle` is one.
 */
export type CountingBatchHandler = (batch: LineBatch) => Promise<BatchOutcome>;
