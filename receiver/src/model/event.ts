/**
 * The event model shared by every component: what a parser extracts from one log line
 * (`ParsedFields`), and the stored event that adds where the line came from (`Event`).
 * Column names of `logpulse.events` are the snake_case of these fields (see clickhouse/schema.sql).
 */

export type EventKind = 'http' | 'transfer';
export type Direction = '' | 'upload' | 'download';

/** What a parser extracts from one line. Numbers absent from the log are 0, strings absent are ''. */
export interface ParsedFields {
  kind: EventKind;
  /** The event's own time: Unix epoch milliseconds, UTC. */
  ts: number;
  /** The virtual host the request was for (vhost_combined, W3C `s-sitename`/`cs-host`), '' when the log has none. */
  vhost: string;
  /** Client address, IPv4 or IPv6, without a port. */
  client: string;
  /** Authenticated user, '' when none ('-' in the log). */
  user: string;
  method: string;
  /** Request target as logged (may be a full URL), or the file path of a transfer. */
  path: string;
  /** Path up to its second '/', see parsers/section.ts. '' for transfers. */
  section: string;
  /** HTTP status, 0 for transfers. */
  status: number;
  /** HTTP/1.1, SFTP, FTP, ... */
  protocol: string;
  /** Bytes sent (HTTP) or transferred (SFTP); 0 for '-'. */
  bytes: number;
  referer: string;
  userAgent: string;
  direction: Direction;
  /** Request or transfer time in milliseconds, 0 when the log does not say. */
  durationMs: number;
}

/** A parsed event with its identity and origin: one row of `logpulse.events`. */
export interface Event extends ParsedFields {
  /** The line hash: 64-bit id of (file identity, byte offset), see pipeline/event_id.ts. */
  eventId: bigint;
  /** When the receiver read the line, epoch milliseconds. */
  receivedAt: number;
  /** Source name: the host the log comes from. */
  source: string;
  /** Path of the file as it was read ('' for stdin / OTLP). */
  file: string;
  /** Byte offset of the line's first byte in its file, -1 when the line has no offset. */
  offset: number;
  /** The original line, without its line ending (truncated lines are stored truncated). */
  raw: string;
  /**
   * Where the parser found `path`, `referer` and `userAgent` as they are in `raw` (UTF-16 index),
   * -1 when they are not a piece of it (unescaped, absent) or the parser does not say: the sink
   * then sends a position instead of the text (see sinks/row_binary_encoder.ts).
   */
  pathAt?: number;
  refererAt?: number;
  userAgentAt?: number;
}
