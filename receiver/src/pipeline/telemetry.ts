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
  sinkRows(outcome: SinkOutcome, count: number): void;
  /** Rows waiting in the sink's queue now. */
  sinkQueueRows(rows: number): void;

  /** A path to read cannot be read (`reason`: `permission denied (EACCES)`); it is tried again. */
  pathUnreadable(path: string, reason: string): void;
  /** `count` checkpoints of files long gone were dropped to keep the store within its cap. */
  checkpointsEvicted(count: number, oldestLastSeenMs: number): void;
}

export const noopTelemetry: ReceiverTelemetry = {
  linesProcessed() {},
  invalidLine() {},
  sinkRows() {},
  sinkQueueRows() {},
  pathUnreadable() {},
  checkpointsEvicted() {},
};

/** Sends every internal event to each of `targets`. */
export function fanOutTelemetry(...targets: ReceiverTelemetry[]): ReceiverTelemetry {
  return {
    linesProcessed: (s, o, c) => targets.forEach((t) => t.linesProcessed(s, o, c)),
    invalidLine: (s, f, off, r, t) => targets.forEach((x) => x.invalidLine(s, f, off, r, t)),
    sinkRows: (o, c) => targets.forEach((t) => t.sinkRows(o, c)),
    sinkQueueRows: (r) => targets.forEach((t) => t.sinkQueueRows(r)),
    pathUnreadable: (p, r) => targets.forEach((t) => t.pathUnreadable(p, r)),
    checkpointsEvicted: (c, o) => targets.forEach((t) => t.checkpointsEvicted(c, o)),
  };
}
