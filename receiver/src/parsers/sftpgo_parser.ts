import type { Direction } from '../model/event.js';
import { blankEvent } from './blank_event.js';
import { parseIsoTimestamp, parseLegacySftpgoTimestamp } from './iso_timestamp.js';
import { SKIP, contentEnd, invalid, isBlank } from './parse_result.js';
import type { LineParser, ParseResult } from './parse_result.js';

/**
 * SFTPGo's JSON log, one object a line. Only the `Upload` and `Download` senders are transfers;
 * every other line (`Login`, the `SFTP` debug lines, other senders) is skipped. The client address
 * is `remote_addr` (`remote_address` in older versions) without its port. Versions before November
 * 2019 wrote the time as `2020-03-29T19:54.44.096`.
 */
export class SftpgoParser implements LineParser {
  readonly format = 'sftpgo';

  parse(line: string): ParseResult {
    const end = contentEnd(line);
    if (isBlank(line, end)) return SKIP;
    let record: unknown;
    try {
      record = JSON.parse(end === line.length ? line : line.slice(0, end));
    } catch {
      return BAD_JSON;
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return NOT_OBJECT;
    const entry = record as Record<string, unknown>;
    const direction = directionOf(entry['sender']);
    if (direction === '') return SKIP;

    const time = entry['time'];
    const ts = typeof time === 'string' ? sftpgoTime(time) : NaN;
    if (Number.isNaN(ts)) return BAD_TIMESTAMP;
    const bytes = countOf(entry['size_bytes']);
    if (bytes < 0) return BAD_SIZE;
    const durationMs = countOf(entry['elapsed_ms']);
    if (durationMs < 0) return BAD_ELAPSED;
    const address = entry['remote_addr'] ?? entry['remote_address'];

    const fields = blankEvent('transfer', line);
    fields.ts = ts;
    fields.client = typeof address === 'string' ? hostOf(address) : '';
    fields.user = textOf(entry['username']);
    fields.path = textOf(entry['file_path']);
    fields.protocol = textOf(entry['protocol']);
    fields.bytes = bytes;
    fields.direction = direction;
    fields.durationMs = durationMs;
    return { kind: 'event', fields };
  }
}

const BAD_JSON = invalid('bad JSON');
const NOT_OBJECT = invalid('not a JSON object');
const BAD_TIMESTAMP = invalid('bad timestamp');
const BAD_SIZE = invalid('bad size_bytes');
const BAD_ELAPSED = invalid('bad elapsed_ms');

/** SFTPGo's time: RFC 3339, or the layout of versions before November 2019. */
function sftpgoTime(text: string): number {
  const ts = parseIsoTimestamp(text);
  return Number.isNaN(ts) ? parseLegacySftpgoTimestamp(text) : ts;
}

function directionOf(sender: unknown): Direction {
  if (sender === 'Upload') return 'upload';
  if (sender === 'Download') return 'download';
  return '';
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A non-negative number of bytes or milliseconds: 0 when absent, -1 when not such a number. */
function countOf(value: unknown): number {
  if (value === undefined || value === null) return 0;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : -1;
}

/**
 * The host of `host:port`: `128.153.26.178:46380` → `128.153.26.178`, `[::1]:2022` → `::1`.
 * An address without a port (`10.0.0.1`, a bare IPv6 `2001:db8::1`) is returned as it is.
 */
export function hostOf(address: string): string {
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    return close > 0 ? address.slice(1, close) : address;
  }
  const colon = address.indexOf(':');
  if (colon < 0 || address.indexOf(':', colon + 1) >= 0) return address;
  return address.slice(0, colon);
}
