import { blankEvent } from './blank_event.js';
import { readUnsigned } from './civil_time.js';
import type { ClfTimestampCache } from './clf_timestamp.js';
import { SKIP, contentEnd, invalid, isBlank } from './parse_result.js';
import type { ParseResult } from './parse_result.js';
import { readRequestLine } from './request_line.js';

/**
 * The scanner behind the CLF and combined parsers:
 *
 *   host ident user [dd/Mon/yyyy:HH:MM:SS +hhmm] "request" status bytes   (CLF)
 *   ... "referer" "user-agent" [tail...]                                (combined)
 *
 * Written with indexOf/charCodeAt instead of a regular expression: this is the hot path of the
 * receiver (well over a million lines a second on one core). Quotes escaped as `\"` (Apache) are
 * honoured inside quoted fields. In a combined line, nginx tails after the user agent are allowed,
 * and the first one that reads as seconds with a fraction (`$request_time`, `0.005`, or `rt=0.005`)
 * gives durationMs.
 */
export class AccessLineScanner {
  constructor(
    private readonly combined: boolean,
    private readonly clock: ClfTimestampCache,
  ) {}

  scan(line: string): ParseResult {
    const end = contentEnd(line);
    const hostEnd = line.indexOf(' ');
    if (hostEnd <= 0 || hostEnd >= end) return isBlank(line, end) ? SKIP : TRUNCATED;
    const identEnd = line.indexOf(' ', hostEnd + 1);
    if (identEnd < 0 || identEnd >= end) return TRUNCATED;
    const open = line.indexOf('[', identEnd + 1);
    if (open < 0 || open >= end) return TRUNCATED;
    if (line.charCodeAt(open - 1) !== SPACE) return MALFORMED;
    const close = line.indexOf(']', open + 1);
    if (close < 0 || close >= end) return TRUNCATED;
    const ts = this.clock.parse(line, open + 1, close);
    if (Number.isNaN(ts)) return BAD_TIMESTAMP;

    if (close + 2 >= end) return TRUNCATED;
    if (line.charCodeAt(close + 1) !== SPACE || line.charCodeAt(close + 2) !== QUOTE) return MALFORMED;
    const requestStart = close + 3;
    // Most lines have no backslash at all: finding out once spares the quoted fields their escape handling.
    const backslash = line.indexOf('\\', requestStart);
    const escapeAt = backslash < 0 || backslash > end ? end : backslash;
    const requestEnd = closingQuote(line, requestStart, end, escapeAt);
    if (requestEnd < 0) return TRUNCATED;

    const statusStart = requestEnd + 2;
    if (statusStart >= end) return TRUNCATED;
    if (line.charCodeAt(requestEnd + 1) !== SPACE) return MALFORMED;
    const statusEnd = line.charCodeAt(statusStart + 3) === SPACE ? statusStart + 3 : tokenEnd(line, statusStart, end);
    const status = readUnsigned(line, statusStart, statusEnd);
    if (status < 100 || status > 599) return BAD_STATUS;
    if (statusEnd + 1 >= end) return TRUNCATED;
    const bytesStart = statusEnd + 1;
    const bytesEnd = tokenEnd(line, bytesStart, end);
    const bytes = bytesEnd - bytesStart === 1 && line.charCodeAt(bytesStart) === DASH ? 0 : readUnsigned(line, bytesStart, bytesEnd);
    if (bytes < 0) return BAD_BYTES;

    let referer = '';
    let userAgent = '';
    let refererAt = -1;
    let userAgentAt = -1;
    let durationMs = 0;
    if (this.combined) {
      const refererStart = bytesEnd + 2;
      if (refererStart >= end) return TRUNCATED;
      if (line.charCodeAt(bytesEnd + 1) !== QUOTE) return MALFORMED;
      const refererEnd = closingQuote(line, refererStart, end, escapeAt);
      if (refererEnd < 0) return TRUNCATED;
      const agentStart = refererEnd + 3;
      if (agentStart > end) return TRUNCATED;
      if (line.charCodeAt(refererEnd + 1) !== SPACE || line.charCodeAt(refererEnd + 2) !== QUOTE) return MALFORMED;
      const agentEnd = closingQuote(line, agentStart, end, escapeAt);
      if (agentEnd < 0) return TRUNCATED;
      referer = quotedValue(line, refererStart, refererEnd, escapeAt);
      userAgent = quotedValue(line, agentStart, agentEnd, escapeAt);
      // The value is the line's own text unless it was '-' or had escapes taken out.
      if (referer.length === refererEnd - refererStart) refererAt = refererStart;
      if (userAgent.length === agentEnd - agentStart) userAgentAt = agentStart;
      durationMs = agentEnd + 1 < end ? tailDurationMs(line, agentEnd + 1, end, escapeAt) : 0;
    }

    const userStart = identEnd + 1;
    const userEnd = open - 1;
    const user = userEnd - userStart === 1 && line.charCodeAt(userStart) === DASH ? '' : line.slice(userStart, userEnd);
    // The request line fills in method, path, section and protocol.
    const fields = blankEvent('http', line);
    fields.ts = ts;
    fields.client = line.slice(0, hostEnd);
    fields.user = user;
    fields.status = status;
    fields.bytes = bytes;
    fields.referer = referer;
    fields.userAgent = userAgent;
    fields.durationMs = durationMs;
    fields.refererAt = refererAt;
    fields.userAgentAt = userAgentAt;
    const requestProblem = readRequestLine(line, requestStart, requestEnd, fields);
    if (requestProblem !== '') return invalid(requestProblem);
    // The target follows the method as logged and one space (see readRequestLine).
    fields.pathAt = requestStart + fields.method.length + 1;
    return { kind: 'event', fields };
  }
}

const SPACE = 32;
const QUOTE = 34;
const BACKSLASH = 92;
const DASH = 45;
const LOWER_R = 114;

const TRUNCATED = invalid('truncated line');
const MALFORMED = invalid('malformed line');
const BAD_TIMESTAMP = invalid('bad timestamp');
const BAD_STATUS = invalid('bad status');
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
