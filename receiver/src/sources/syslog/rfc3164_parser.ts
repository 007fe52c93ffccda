import type { SyslogParseResult } from './syslog_message.js';

/** `Nov 22 10:00:00`, `Nov  2 10:00:00`, with a year or fractions as some devices add them. */
const BSD_TIMESTAMP = /^[A-Z][a-z]{2} {1,2}\d{1,2} (?:\d{4} )?\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?= |$)/;
/** rsyslog's RSYSLOG_ForwardFormat and others put an RFC 3339 time in the old header. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})(?= |$)/;
/** A tag: `nginx:`, `haproxy[1234]:`, up to 48 characters, ending in a colon. */
const TAG = /^([^\s:[\]]{1,48})(?:\[[^\]\s]{0,32}\])?:$/;

function token(text: string, start: number): { value: string; end: number } {
  const space = text.indexOf(' ', start);
  const end = space < 0 ? text.length : space;
  return { value: text.slice(start, end), end };
}

/** The message after `end` (a space or the end): one separating space is dropped, the rest is the line's. */
function messageAfter(text: string, end: number): string {
  return end >= text.length ? '' : text.slice(end + 1);
}

/**
 * RFC 3164 as servers really write it (`rest` starts just past `<PRI>`): a timestamp without year
 * and zone (or none, or an RFC 3339 one), a HOSTNAME (missing in nginx's `nohostname` and in
 * HAProxy's default), a TAG ending in `:`, and the MSG. Whether the first token is a host or a tag
 * is told by the tag's colon: a host name never ends with one. A message with a host but no tag
 * keeps everything after the host as its MSG.
 */
export function parseRfc3164(text: string, rest: number): SyslogParseResult {
  let i = rest;
  const tail = text.slice(rest, rest + 40);
  const time = BSD_TIMESTAMP.exec(tail) ?? ISO_TIMESTAMP.exec(tail);
  if (time) i += time[0].length + 1;
  if (i >= text.length) return { invalid: 'RFC 3164 message is empty' };
  const first = token(text, i);
  const firstTag = TAG.exec(first.value);
  if (firstTag) return { hostname: '', tag: firstTag[1] ?? '', message: messageAfter(text, first.end) };
  if (first.value === '') return { invalid: 'RFC 3164 header has no host or tag' };
  const second = token(text, first.end + 1);
  const secondTag = first.end < text.length ? TAG.exec(second.value) : null;
  if (secondTag) return { hostname: first.value, tag: secondTag[1] ?? '', message: messageAfter(text, second.end) };
  return { hostname: first.value, tag: '', message: messageAfter(text, first.end) };
}
