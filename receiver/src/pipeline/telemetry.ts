/**
 * The receiver's internal events: components report what happened through this interface, and the
 * metrics module (OpenTelemetry) and the receiver's own log implement it. Components never call the
 * metrics SDK themselves.
 */

export type LineOutcome = 'parsed' | 'invalid' | 'truncated';
export type SinkOutcome = 'written' | 'retried' | 'failed';

export interface ReceiverTelemetry {
  /** `count` lines of `source` ended with `outcome` (a truncated line is also parsed or invalid). */
  linesProcessed(source: string, outcome: LineOutcome, count: number): void;
  /** A bad line, for the rate-limited sample in the log. */
  invalidLine(source: string, file: string, offset: number, reason: string, text: string): void;
  /** A whole file was skipped as not a log of a known format (an error log...); once per file. */
  fileSkipped(source: string, file: string, reason: string): void;
  sinkRows(outcome: SinkOutcome, count: number): void;
  /** Rows waiting in the sink's queue now. */
  sinkQueueRows(rows: number): void;
}

export const noopTelemetry: ReceiverTelemetry = {
  linesProcessed() {},
  invalidLine() {},
  fileSkipped() {},
  sinkRows() {},
  sinkQueueRows() {},
};

/** Sends every internal event to each of `targets`. */
export function fanOutTelemetry(...targets: ReceiverTelemetry[]): ReceiverTelemetry {
  return {
    linesProcessed: (s, o, c) => targets.forEach((t) => t.linesProcessed(s, o, c)),
    invalidLine: (s, f, off, r, t) => targets.forEach((x) => x.invalidLine(s, f, off, r, t)),
    fileSkipped: (s, f, r) => targets.forEach((t) => t.fileSkipped(s, f, r)),
    sinkRows: (o, c) => targets.forEach((t) => t.sinkRows(o, c)),
    sinkQueueRows: (r) => targets.forEach((t) => t.sinkQueueRows(r)),
  };
}
