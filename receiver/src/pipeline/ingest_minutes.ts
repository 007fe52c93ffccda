import type { LineOutcome, ReceiverTelemetry } from '../model/telemetry.js';
import { noopTelemetry } from '../model/telemetry.js';

/** What one source's lines came to in one minute of wall time: a row of `logpulse.ingest`. */
export interface IngestRow {
  source: string;
  /** Start of the minute, epoch ms. */
  minuteMs: number;
  linesRead: number;
  parsed: number;
  invalid: number;
  truncated: number;
  expired: number;
}

export interface IngestMinutesOptions {
  /** Given the rows of every minute that has closed, and at `closeAll()` the open ones too. */
  write: (rows: IngestRow[]) => void;
  /** The wall clock, epoch ms. @default Date.now */
  now?: () => number;
  /** Most (source, minute) rows held; lines of further sources are counted in one more row, under OTHER_SOURCE. @default 10000 */
  maxRows?: number;
  /** How often `start()` closes the past minutes. @default 5000 */
  closeIntervalMs?: number;
}

/** Where the lines of sources beyond `maxRows` are counted. */
export const OTHER_SOURCE = '(other)';

const MINUTE_MS = 60_000;

/**
 * Counts lines per source and minute of wall time, from the receiver's internal events, and hands
 * each minute's rows on once it has closed. Invalid, truncated and expired lines never become
 * events, so this is where `logpulse report` finds them. Memory: the open minute (and the last
 * one until the next close), at most `maxRows` rows.
 */
export class IngestMinutes {
  readonly telemetry: ReceiverTelemetry;
  private readonly write: (rows: IngestRow[]) => void;
  private readonly now: () => number;
  private readonly maxRows: number;
  private readonly closeIntervalMs: number;
  /** By `${minuteMs}\n${source}`. */
  private readonly rows = new Map<string, IngestRow>();
  private timer: NodeJS.Timeout | undefined;

  constructor(options: IngestMinutesOptions) {
    this.write = options.write;
    this.now = options.now ?? Date.now;
    this.maxRows = options.maxRows ?? 10_000;
    this.closeIntervalMs = options.closeIntervalMs ?? 5000;
    this.telemetry = {
      ...noopTelemetry,
      linesRead: (source, _file, count) => void (this.row(source).linesRead += count),
      linesProcessed: (source, outcome, count) => this.count(source, outcome, count),
    };
  }

  /** Hands on the rows of every minute before the current one. */
  closePast(): void {
    const current = this.minuteOf(this.now());
    this.hand((row) => row.minuteMs < current);
  }

  /** Hands on every row, the open minute's too (shutdown: the run ends with it). */
  closeAll(): void {
    this.hand(() => true);
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.closePast(), this.closeIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and hands on every row. Idempotent. */
  shutdown(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.closeAll();
  }

  private count(source: string, outcome: LineOutcome, count: number): void {
    const row = this.row(source);
    row[outcome] += count;
  }

  private row(source: string): IngestRow {
    const minuteMs = this.minuteOf(this.now());
    let key = `${minuteMs}\n${source}`;
    let row = this.rows.get(key);
    if (row !== undefined) return row;
    if (this.rows.size >= this.maxRows) {
      source = OTHER_SOURCE;
      key = `${minuteMs}\n${source}`;
      row = this.rows.get(key);
      if (row !== undefined) return row;
    }
    row = { source, minuteMs, linesRead: 0, parsed: 0, invalid: 0, truncated: 0, expired: 0 };
    this.rows.set(key, row);
    return row;
  }

  private hand(closed: (row: IngestRow) => boolean): void {
    const out: IngestRow[] = [];
    for (const [key, row] of this.rows) {
      if (!closed(row)) continue;
      this.rows.delete(key);
      out.push(row);
    }
    if (out.length > 0) this.write(out);
  }

  private minuteOf(ms: number): number {
    return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
  }
}
