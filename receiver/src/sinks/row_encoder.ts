import type { AlertTransition } from '../alerts/alert_transition.js';
import type { Event } from '../pipeline/event.js';

/**
 * Encodes rows as ClickHouse `TabSeparated` text. Measured on 200k access-log events (2 shared
 * cores): TSV lines written into one growing buffer took about 3.6 µs a row, the same columns as
 * JSONEachRow about 9 µs, concatenating one big string then converting it about 10 µs. TSV is
 * exact for any text: backslash, tab, newline and carriage return are escaped, everything else
 * (quotes, NUL, emoji, U+FFFD from invalid UTF-8) passes through as UTF-8.
 *
 * Numbers are clamped into their column's range so that no event can make ClickHouse refuse a
 * whole batch (which the sink would retry forever).
 */

/** Columns of `logpulse.events`, in the order `encodeEvents` writes them. */
export const EVENT_COLUMNS = [
  'event_id', 'ts', 'received_at', 'source', 'file', 'offset', 'kind', 'client', 'user', 'method', 'path',
  'section', 'status', 'protocol', 'bytes', 'referer', 'user_agent', 'direction', 'duration_ms', 'raw',
] as const;

/** Columns of `logpulse.alerts`, in the order `encodeAlert` writes them. */
export const ALERT_COLUMNS = [
  'alert', 'state', 'value', 'at', 'threshold_rps', 'window_seconds', 'message', 'host',
] as const;

/** 2200-01-01T00:00:00Z: inside DateTime64's range, far beyond any real log line. */
const MAX_TS_MS = 7_258_118_400_000;
const MAX_UINT16 = 0xffff;
const MAX_UINT32 = 0xffff_ffff;
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPABLE = /[\\\t\n\r]/g;

function escapeChar(c: string): string {
  switch (c) {
    case '\\': return '\\\\';
    case '\t': return '\\t';
    case '\n': return '\\n';
    default: return '\\r';
  }
}

/** A string field of TabSeparated. */
export function tsvString(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPABLE, escapeChar) : value;
}

/** Epoch milliseconds as the `seconds.millis` text DateTime64(3) parses, clamped to 1970..2200. */
export function tsvTime(ms: number): string {
  const t = ms >= 0 && ms <= MAX_TS_MS ? Math.floor(ms) : ms > MAX_TS_MS ? MAX_TS_MS : 0;
  const seconds = Math.floor(t / 1000);
  const millis = t - seconds * 1000;
  return `${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}`;
}

/** A non-negative integer no larger than `max` (NaN and negatives become 0). */
export function tsvUint(value: number, max: number = Number.MAX_SAFE_INTEGER): string {
  if (value >= 0 && value <= max) return String(Math.floor(value));
  return value > max ? String(max) : '0';
}

function tsvInt(value: number): string {
  return Number.isFinite(value) ? String(Math.trunc(value)) : '-1';
}

function tsvFloat(value: number): string {
  return Number.isFinite(value) ? String(value) : '0';
}

function eventLine(e: Event): string {
  return `${BigInt.asUintN(64, e.eventId)}\t${tsvTime(e.ts)}\t${tsvTime(e.receivedAt)}\t${tsvString(e.source)}\t${tsvString(e.file)}\t${tsvInt(e.offset)}\t${tsvString(e.kind)}\t${tsvString(e.client)}\t${tsvString(e.user)}\t${tsvString(e.method)}\t${tsvString(e.path)}\t${tsvString(e.section)}\t${tsvUint(e.status, MAX_UINT16)}\t${tsvString(e.protocol)}\t${tsvUint(e.bytes)}\t${tsvString(e.referer)}\t${tsvString(e.userAgent)}\t${tsvString(e.direction)}\t${tsvUint(e.durationMs, MAX_UINT32)}\t${tsvString(e.raw)}\n`;
}

/**
 * Appends UTF-8 text to one growing buffer: converting line by line avoids both a huge
 * concatenated string and a Buffer per line.
 */
class ByteSink {
  #buffer: Buffer;
  #length = 0;

  constructor(initialBytes: number) {
    this.#buffer = Buffer.allocUnsafe(Math.max(initialBytes, 4096));
  }

  write(text: string): void {
    const worst = text.length * 3;
    if (this.#length + worst > this.#buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#length + worst));
      this.#buffer.copy(grown, 0, 0, this.#length);
      this.#buffer = grown;
    }
    this.#length += this.#buffer.write(text, this.#length, 'utf8');
  }

  bytes(): Buffer {
    return this.#buffer.subarray(0, this.#length);
  }
}

/** A run of consecutive events of one `write` call: `events[start..end)`. */
export interface EventSlice {
  readonly events: readonly Event[];
  readonly start: number;
  readonly end: number;
}

/** One TabSeparated body for the slices, columns in `EVENT_COLUMNS` order. */
export function encodeEvents(slices: readonly EventSlice[], rows: number): Buffer {
  const sink = new ByteSink(rows * 400);
  for (const { events, start, end } of slices) {
    for (let i = start; i < end; i++) sink.write(eventLine(events[i] as Event));
  }
  return sink.bytes();
}

/** One TabSeparated row for an alert transition, columns in `ALERT_COLUMNS` order. */
export function encodeAlert(t: AlertTransition, host: string): Buffer {
  const line = `${tsvString(t.alert)}\t${tsvString(t.state)}\t${tsvFloat(t.value)}\t${tsvTime(t.at)}\t${tsvFloat(t.thresholdRps)}\t${tsvUint(t.windowSeconds, MAX_UINT32)}\t${tsvString(t.message)}\t${tsvString(host)}\n`;
  return Buffer.from(line, 'utf8');
}
