import { GrowableBuffer } from './growable_buffer.js';
import { writeUtf8 } from './utf8_write.js';

/**
 * Writes a TabSeparated body field by field into one growing buffer: numbers as digits with no
 * string in between, strings copied straight in (already escaped by the caller). Measured on
 * 300k access-log events, this halved the cost of building one line string per row and
 * converting it (about 8 µs a row on 2 busy shared cores, 4-6 µs this way).
 */
export class TsvRowWriter extends GrowableBuffer {
  /** The day of the last time written, and its `YYYY-MM-DD ` bytes: rows of a batch share a few days. */
  #day = Number.NaN;
  readonly #date = Buffer.alloc(11);

  /** An escaped string field, then the byte `after` (tab or newline). */
  text(value: string, after: number): void {
    this.length += writeUtf8(this.buffer, value, this.length);
    this.buffer[this.length++] = after;
  }

  /** A whole number from 0 to 2^53, then `after`. */
  uint(value: number, after: number): void {
    const buffer = this.buffer;
    let digits = 1;
    for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
    let at = this.length + digits;
    const end = at;
    let v = value;
    do {
      buffer[--at] = ZERO + (v % 10);
      v = Math.floor(v / 10);
    } while (at > this.length);
    buffer[end] = after;
    this.length = end + 1;
  }

  /** A whole number, negative ones with their sign, then `after`. */
  int(value: number, after: number): void {
    if (value < 0) {
      this.buffer[this.length++] = MINUS;
      this.uint(-value, after);
    } else {
      this.uint(value, after);
    }
  }

  /**
   * Whole epoch milliseconds (negative before 1970, years 1000..9999) as DateTime64(3)'s own text,
   * `YYYY-MM-DD hh:mm:ss.mmm` UTC, then `after`. Every ClickHouse version parses this form for any
   * time its column holds; `seconds.mmm` is read as a date, and refused, before 2001-09-09.
   * Needs 24 bytes of room.
   */
  dateTime(ms: number, after: number): void {
    const days = Math.floor(ms / DAY_MS);
    let rest = ms - days * DAY_MS;
    if (days !== this.#day) this.#setDay(days);
    const buffer = this.buffer;
    let at = this.length;
    buffer.set(this.#date, at);
    at += 11;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    const millis = rest - seconds * 1000;
    at = twoDigits(buffer, at, hours);
    buffer[at++] = COLON;
    at = twoDigits(buffer, at, minutes);
    buffer[at++] = COLON;
    at = twoDigits(buffer, at, seconds);
    buffer[at++] = DOT;
    buffer[at++] = ZERO + Math.floor(millis / 100);
    buffer[at++] = ZERO + (Math.floor(millis / 10) % 10);
    buffer[at++] = ZERO + (millis % 10);
    buffer[at++] = after;
    this.length = at;
  }

  /** Gregorian date of a day number (days since 1970-01-01), by Howard Hinnant's civil_from_days. */
  #setDay(days: number): void {
    const z = days + 719_468;
    const era = Math.floor(z / 146_097);
    const doe = z - era * 146_097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const month = mp < 10 ? mp + 3 : mp - 9;
    const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    const date = this.#date;
    twoDigits(date, 0, Math.floor(year / 100));
    twoDigits(date, 2, year % 100);
    date[4] = MINUS;
    twoDigits(date, 5, month);
    date[7] = MINUS;
    twoDigits(date, 8, day);
    date[10] = SPACE;
    this.#day = days;
  }
}

function twoDigits(buffer: Buffer, at: number, value: number): number {
  buffer[at] = ZERO + Math.floor(value / 10);
  buffer[at + 1] = ZERO + (value % 10);
  return at + 2;
}

const DAY_MS = 86_400_000;
export const TAB = 0x09;
export const NEWLINE = 0x0a;
const DOT = 0x2e;
const COLON = 0x3a;
const SPACE = 0x20;
const ZERO = 0x30;
const MINUS = 0x2d;
