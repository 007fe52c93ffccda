import { blankEvent } from './blank_event.js';
import { readUnsigned } from './civil_time.js';
import type { ClfTimestampCache } from './clf_timestamp.js';
import { SKIP, contentEnd, invalid, isBlank } from './parse_result.js';
import type { ParseResult } from './parse_result.js';
import type { Event } from '../model/event.js';
import { readRequestLine } from './request_line.js';

/**
 * The scanner behind the CLF and combined parsers:
 *
 *   [vhost] host ident user [dd/Mon/yyyy:HH:MM:SS +hhmm] "request" status bytes   (CLF)
 *   ... "referer" "user-agent" [tail...]                                        (combined)
 *
 * Written with indexOf/charCodeAt instead of a regular expression: this is the hot path of the
 * receiver (well over a million lines a second on one core).
 *
 * What servers really write is read as it is:
 * - the request field may hold anything (see readRequestLine): the line is an event all the same;
 * - a virtual host may come first (see clientField): Apache's vhost_combined `%v:%p` and nginx's
 *   `$host` prefixes;
 * - in a combined line, referer and user agent are optional (CLF lines inside a combined file), a
 *   last quoted field cut off by the writer keeps what it has, nginx tails after the user agent are
 *   allowed, and the first one that reads as seconds with a fraction (`$request_time`, `0.005`, or
 *   `rt=0.005`) gives durationMs. Quotes escaped as `\"` (Apache) are honoured inside quoted fields.
 * A line is invalid only when a field up to the bytes is missing or unreadable, and its reason
 * names that field.
 */
export class AccessLineScanner {
  constructor(
    private readonly combined: boolean,
    private readonly clock: ClfTimestampCache,
  ) {}

  scan(line: string): ParseResult {
    const end = contentEnd(line);
    const hostEnd = line.indexOf(' ');
    if (hostEnd <= 0 || hostEnd >= end) return isBlank(line, end) ? SKIP : NO_TIMESTAMP;
    // Nearly every line: an address, then ident `-`. Anything else may start with a virtual host.
    const clientEnd = line.charCodeAt(hostEnd + 1) === DASH && line.charCodeAt(hostEnd + 2) === SPACE && portColon(line, hostEnd) < 0 ? hostEnd : clientField(line, hostEnd, end);
    const identEnd = line.indexOf(' ', clientEnd + 1);
    if (identEnd < 0 || identEnd >= end) return NO_TIMESTAMP;
    const open = line.indexOf('[', identEnd + 1);
    if (open < 0 || open >= end) return NO_TIMESTAMP;
    if (line.charCodeAt(open - 1) !== SPACE) return NO_TIMESTAMP;
    const close = line.indexOf(']', open + 1);
    if (close < 0 || close >= end) return NO_TIMESTAMP;
    const ts = this.clock.parse(line, open + 1, close);
    if (Number.isNaN(ts)) return BAD_TIMESTAMP;

    if (close + 2 >= end || line.charCodeAt(close + 1) !== SPACE || line.charCodeAt(close + 2) !== QUOTE) return NO_REQUEST;
    const requestStart = close + 3;
    // Most lines have no backslash at all: finding out once spares the quoted fields their escape handling.
    const backslash = line.indexOf('\\', requestStart);
    const escapeAt = backslash < 0 || backslash > end ? end : backslash;
    const requestEnd = closingQuote(line, requestStart, end, escapeAt);
    if (requestEnd < 0) return UNTERMINATED_REQUEST;

    const statusStart = requestEnd + 2;
    if (statusStart >= end || line.charCodeAt(requestEnd + 1) !== SPACE) return NO_STATUS;
    const statusEnd = line.charCodeAt(statusStart + 3) === SPACE ? statusStart + 3 : tokenEnd(line, statusStart, end);
    const status = readUnsigned(line, statusStart, statusEnd);
    if (status < 100 || status > 599) return BAD_STATUS;
    if (statusEnd + 1 >= end) return NO_BYTES;
    const bytesStart = statusEnd + 1;
    const bytesEnd = tokenEnd(line, bytesStart, end);
    const bytes = bytesEnd - bytesStart === 1 && line.charCodeAt(bytesStart) === DASH ? 0 : readUnsigned(line, bytesStart, bytesEnd);
    if (bytes < 0) return BAD_BYTES;

    const userStart = identEnd + 1;
    const userEnd = open - 1;
    const user = userEnd - userStart === 1 && line.charCodeAt(userStart) === DASH ? '' : line.slice(userStart, userEnd);
    // The request line fills in method, path, section and protocol.
    const fields = blankEvent('http', line);
    fields.ts = ts;
    if (clientEnd === hostEnd) {
      fields.client = line.slice(0, hostEnd);
    } else {
      const colon = portColon(line, hostEnd);
      fields.vhost = line.slice(0, colon < 0 ? hostEnd : colon);
      fields.client = clientEnd - hostEnd === 2 && line.charCodeAt(hostEnd + 1) === DASH ? '' : line.slice(hostEnd + 1, clientEnd);
    }
    fields.user = user;
    fields.status = status;
    fields.bytes = bytes;
    // The quote after the bytes opens the referer: combined lines only, and CLF lines have none.
    if (this.combined && bytesEnd + 2 < end && line.charCodeAt(bytesEnd + 1) === QUOTE) readAgentFields(line, bytesEnd + 2, end, escapeAt, fields);
    fields.pathAt = readRequestLine(line, requestStart, requestEnd, fields);
    return { kind: 'event', fields };
  }
}

/**
 * Referer (its opening quote just before `refererStart`), user agent and the tail of a combined
 * line into `fields`. Either may be missing; an unterminated last one is read to the end of line.
 */
function readAgentFields(line: string, refererStart: number, end: number, escapeAt: number, fields: Event): void {
  let refererEnd = closingQuote(line, refererStart, end, escapeAt);
  if (refererEnd < 0) refererEnd = end;
  const referer = quotedValue(line, refererStart, refererEnd, escapeAt);
  fields.referer = referer;
  // The value is the line's own text unless it was '-' or had escapes taken out.
  if (referer.length === refererEnd - refererStart && referer.length > 0) fields.refererAt = refererStart;
  const agentStart = refererEnd + 3;
  if (agentStart > end || line.charCodeAt(refererEnd + 1) !== SPACE || line.charCodeAt(refererEnd + 2) !== QUOTE) return;
  let agentEnd = closingQuote(line, agentStart, end, escapeAt);
  if (agentEnd < 0) agentEnd = end;
  const userAgent = quotedValue(line, agentStart, agentEnd, escapeAt);
  fields.userAgent = userAgent;
  if (userAgent.length === agentEnd - agentStart && userAgent.length > 0) fields.userAgentAt = agentStart;
  if (agentEnd + 1 < end) fields.durationMs = tailDurationMs(line, agentEnd + 1, end, escapeAt);
}

/**
 * End of the client field, for a line whose first field ends at `hostEnd` and is not followed by
 * ident `-`. The first field is a virtual host, and the client comes second, when
 * - the first field is `name:port` (Apache's vhost_combined `%v:%p`): a port is never part of a
 *   client address, so such a field is never taken for one; or
 * - the second field is an IP address and a third field (ident) follows before the timestamp
 *   (nginx's `$host $remote_addr - $remote_user [...]`): in CLF the second field is the ident,
 *   which is never an address.
 * Otherwise the client is the first field: `hostEnd`.
 */
function clientField(line: string, hostEnd: number, end: number): number {
  const secondEnd = line.indexOf(' ', hostEnd + 1);
  if (secondEnd < 0 || secondEnd >= end) return hostEnd;
  if (portColon(line, hostEnd) > 0) return secondEnd;
  if (!isIpAddress(line, hostEnd + 1, secondEnd)) return hostEnd;
  const thirdEnd = line.indexOf(' ', secondEnd + 1);
  return thirdEnd > secondEnd + 1 && thirdEnd < end && line.charCodeAt(secondEnd + 1) !== OPEN_BRACKET ? secondEnd : hostEnd;
}

/**
 * Index of the colon of a first field `line[0, fieldEnd)` that is `name:port` (one colon, 1-5
 * digits after it), else -1. Read from the end: an IPv4 address or a host name stops at its first
 * non-digit, and an IPv6 address has a second colon.
 */
function portColon(line: string, fieldEnd: number): number {
  let i = fieldEnd - 1;
  while (i > 0 && isDigit(line.charCodeAt(i))) i--;
  if (i <= 0 || i === fieldEnd - 1 || fieldEnd - 1 - i > 5 || line.charCodeAt(i) !== COLON) return -1;
  for (let j = i - 1; j >= 0; j--) {
    if (line.charCodeAt(j) === COLON) return -1;
  }
  return i;
}

/** `line[start, end)` is an IPv4 address (four dotted numbers) or IPv6 (hex digits and at least two colons). */
function isIpAddress(line: string, start: number, end: number): boolean {
  let dots = 0;
  let colons = 0;
  let hexLetters = 0;
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c === DOT) dots++;
    else if (c === COLON) colons++;
    else if (!isDigit(c)) {
      const lower = c | 0x20;
      if (lower < 97 || lower > 102) return false;
      hexLetters++;
    }
  }
  if (colons >= 2) return true;
  return colons === 0 && hexLetters === 0 && dots === 3 && end - start >= 7 && end - start <= 15;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const SPACE = 32;
const QUOTE = 34;
const BACKSLASH = 92;
const DASH = 45;
const LOWER_R = 114;
const DOT = 46;
const COLON = 58;
const OPEN_BRACKET = 91;

const NO_TIMESTAMP = invalid('no timestamp');
const BAD_TIMESTAMP = invalid('bad timestamp');
const NO_REQUEST = invalid('no request');
const UNTERMINATED_REQUEST = invalid('unterminated request');
const NO_STATUS = invalid('no status');
const BAD_STATUS = invalid('bad status');
const NO_BYTES = invalid('no bytes');
const BAD_BYTES = invalid('bad bytes');

/**
 * Index of the quote closing a field opened just before `from`, -1 if the line ends first.
 * `escapeAt` is the first backslash of the line at or after `from` (`end` when none).
 */
function closingQuote(line: string, from: number, end: number, escapeAt: number): number {
  let at = from;
  for (;;) {
    const quote = line.indexOf('"', at);
    if (quote < 0 || quote >= end) return -1;
    if (quote < escapeAt) return quote;
    let backslashes = 0;
    while (quote - backslashes - 1 >= from && line.charCodeAt(quote - backslashes - 1) === BACKSLASH) backslashes++;
    // An odd run of backslashes escapes the quote; an even one is escaped backslashes before a real quote.
    if ((backslashes & 1) === 0) return quote;
    at = quote + 1;
  }
}

/** End of the space-delimited token starting at `from`. */
function tokenEnd(line: string, from: number, end: number): number {
  const space = line.indexOf(' ', from);
  return space < 0 || space > end ? end : space;
}

/** A quoted referer or user agent: '-' is empty, and `\"` and `\\` are unescaped. */
function quotedValue(line: string, start: number, end: number, escapeAt: number): string {
  if (end - start === 1 && line.charCodeAt(start) === DASH) return '';
  if (escapeAt >= end) return line.slice(start, end);
  const backslash = line.indexOf('\\', start);
  if (backslash < 0 || backslash >= end) return line.slice(start, end);
  let out = '';
  let from = start;
  for (let i = backslash; i < end - 1; i++) {
    if (line.charCodeAt(i) !== BACKSLASH) continue;
    const next = line.charCodeAt(i + 1);
    if (next !== QUOTE && next !== BACKSLASH) continue;
    out += line.slice(from, i);
    from = i + 1;
    i++;
  }
  return out + line.slice(from, end);
}

/** Milliseconds of the first tail field after the user agent that reads as `0.123` seconds (or `rt=0.123`). */
function tailDurationMs(line: string, from: number, end: number, escapeAt: number): number {
  let at = from;
  while (at < end) {
    while (at < end && line.charCodeAt(at) === SPACE) at++;
    if (at >= end) return 0;
    let stop = tokenEnd(line, at, end);
    if (line.charCodeAt(at) === QUOTE) {
      const quote = closingQuote(line, at + 1, end, escapeAt);
      if (quote < 0) return 0;
      stop = quote + 1;
    } else {
      const start = line.charCodeAt(at) === LOWER_R && line.startsWith('rt=', at) ? at + 3 : at;
      const millis = secondsAsMillis(line, start, stop);
      if (millis >= 0) return millis;
    }
    at = stop;
  }
  return 0;
}

/** `12.345` seconds as 12345 ms (rounded to the millisecond); -1 unless digits '.' digits. */
function secondsAsMillis(line: string, start: number, end: number): number {
  const dot = line.indexOf('.', start);
  if (dot <= start || dot >= end - 1) return -1;
  const whole = readUnsigned(line, start, dot);
  const fraction = readUnsigned(line, dot + 1, end);
  const digits = end - dot - 1;
  if (whole < 0 || fraction < 0 || digits > 9) return -1;
  // nginx writes exactly three decimals: the common case stays in integers.
  if (digits === 3) return whole * 1000 + fraction;
  return Math.round((whole + fraction / 10 ** digits) * 1000);
}
