/**
 * The receiver's internal events: components report what happened through this interface, and the
 * metrics module (OpenTelemetry) and the receiver's own log implement it. Components never call the
 * metrics SDK themselves.
 */

/**
 * `expired`: parsed, but dated before the configured retention, so not written to ClickHouse
 * (a subset of `parsed`, as `truncated` is of parsed and invalid).
 */
export type LineOutcome = 'parsed' | 'invalid' | 'truncated' | 'expired';
export type SinkOutcome = 'written' | 'retried' | 'failed';
/** How an OTLP/HTTP export request was answered. */
export type OtlpRequestOutcome =
  | 'accepted' | 'partial' | 'bad_request' | 'unauthorized' | 'forbidden' | 'too_large'
  | 'unsupported' | 'throttled' | 'unavailable' | 'aborted';
/** Records of an accepted request: stored, or rejected (unparseable body, no identity). */
export type OtlpRecordOutcome = 'accepted' | 'rejected';
export type SyslogTransport = 'udp' | 'tcp';
/**
 * A syslog message (a datagram or a TCP frame): handed to the pipeline, larger than the limit,
 * not syslog (no `<PRI>`, broken header, empty), or dropped because the pipeline had no room
 * (UDP only: TCP waits instead).
 */
export type SyslogMessageOutcome = 'accepted' | 'too_large' | 'unparseable' | 'dropped';
/**
 * A TCP syslog connection: opened, closed to make room for a new one past the connection limit,
 * closed for leaving a frame unfinished too long, or closed for an unreadable octet count.
 */
export type SyslogConnectionOutcome = 'accepted' | 'evicted' | 'idle_timeout' | 'framing_error';

export interface ReceiverTelemetry {
  /** `count` lines of `file` were read and handed to its parser (blank and header lines included). */
  linesRead(source: string, file: string, count: number): void;
  /** `count` lines of `source` ended with `outcome` (a truncated line is also parsed or invalid). */
  linesProcessed(source: string, outcome: LineOutcome, count: number): void;
  /** A bad line, for the rate-limited sample in the log. */
  invalidLine(source: string, file: string, offset: number, reason: string, text: string): void;
  /** A whole file was skipped as not a log of a known format (an error log...); once per file. */
  fileSkipped(source: string, file: string, reason: string): void;
  sinkRows(outcome: SinkOutcome, count: number): void;
  /** Rows waiting in the sink's queue now. */
  sinkQueueRows(rows: number): void;
  /** An OTLP/HTTP request of `source` ('unknown' before the body is read) was answered with `outcome`. */
  otlpRequest(source: string, outcome: OtlpRequestOutcome): void;
  /** `count` log records of `source` received over OTLP ended with `outcome`. */
  otlpRecords(source: string, outcome: OtlpRecordOutcome, count: number): void;
  /**
   * `count` HTTP events of `source` stamped beyond the wall clock plus the alert's tolerance: they
   * are stored, but left out of the traffic alert, whose clock they would push ahead.
   */
  futureEvents(source: string, count: number): void;

  /** A path to read cannot be read (`reason`: `permission denied (EACCES)`); it is tried again. */
  pathUnreadable(path: string, reason: string): void;
  /** `count` checkpoints of files long gone were dropped to keep the store within its cap. */
  checkpointsEvicted(count: number, oldestLastSeenMs: number): void;
  /** `count` syslog messages received over `transport` ended with `outcome`. */
  syslogMessages(transport: SyslogTransport, outcome: SyslogMessageOutcome, count: number): void;
  /** A TCP syslog connection was opened or closed by the receiver for `outcome`. */
  syslogConnection(outcome: SyslogConnectionOutcome): void;
}

export const noopTelemetry: ReceiverTelemetry = {
  linesRead() {},
  linesProcessed() {},
  invalidLine() {},
  fileSkipped() {},
  sinkRows() {},
  sinkQueueRows() {},
  otlpRequest() {},
  otlpRecords() {},
  futureEvents() {},
  pathUnreadable() {},
  checkpointsEvicted() {},
  syslogMessages() {},
  syslogConnection() {},
};

/** Sends every internal event to each of `targets`. */
export function fanOutTelemetry(...targets: ReceiverTelemetry[]): ReceiverTelemetry {
  return {
    linesRead: (s, f, c) => targets.forEach((t) => t.linesRead(s, f, c)),
    linesProcessed: (s, o, c) => targets.forEach((t) => t.linesProcessed(s, o, c)),
    invalidLine: (s, f, off, r, t) => targets.forEach((x) => x.invalidLine(s, f, off, r, t)),
    fileSkipped: (s, f, r) => targets.forEach((t) => t.fileSkipped(s, f, r)),
    sinkRows: (o, c) => targets.forEach((t) => t.sinkRows(o, c)),
    sinkQueueRows: (r) => targets.forEach((t) => t.sinkQueueRows(r)),
    otlpRequest: (s, o) => targets.forEach((t) => t.otlpRequest(s, o)),
    otlpRecords: (s, o, c) => targets.forEach((t) => t.otlpRecords(s, o, c)),
    futureEvents: (s, c) => targets.forEach((t) => t.futureEvents(s, c)),
    pathUnreadable: (p, r) => targets.forEach((t) => t.pathUnreadable(p, r)),
    checkpointsEvicted: (c, o) => targets.forEach((t) => t.checkpointsEvicted(c, o)),
    syslogMessages: (tr, o, c) => targets.forEach((t) => t.syslogMessages(tr, o, c)),
    syslogConnection: (o) => targets.forEach((t) => t.syslogConnection(o)),
  };
}
