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
