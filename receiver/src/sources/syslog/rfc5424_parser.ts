import type { SyslogParseResult } from './syslog_message.js';

const NIL = '-';
const BOM = '\uFEFF';

/** The field starting at `start` up to the next space; `end` is the space's index (or the text's length). */
function field(text: string, start: number): { value: string; end: number } {
  const space = text.indexOf(' ', start);
  const end = space < 0 ? text.length : space;
  return { value: text.slice(start, end), end };
}

/**
 * Skips STRUCTURED-DATA: `-`, or one or more `[id param="value"...]` elements whose values may
 * hold `\"`, `\\` and `\]`. Returns the index past it, or -1 when it never closes.
 */
function skipStructuredData(text: string, start: number): number {
  if (text.charCodeAt(start) !== 0x5b /* [ */) {
    return text.startsWith(NIL, start) && (start + 1 === text.length || text.charCodeAt(start + 1) === 0x20) ? start + 1 : -1;
  }
  let i = start;
  while (text.charCodeAt(i) === 0x5b) {
    let quoted = false;
    i++;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (quoted && c === 0x5c /* \ */) {
        i++;
        continue;
      }
      if (c === 0x22 /* " */) quoted = !quoted;
      else if (c === 0x5d /* ] */ && !quoted) break;
    }
    if (i >= text.length) return -1;
    i++;
  }
  return i;
}

/**
 * RFC 5424: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]`, where `rest`
 * starts at the version. The header's timestamp is not kept: an event's time is the one its
 * access line holds. The MSG may begin with a UTF-8 BOM, which is dropped.
 */
export function parseRfc5424(text: string, rest: number): SyslogParseResult {
  if (text.charCodeAt(rest) !== 0x31 /* 1 */ || text.charCodeAt(rest + 1) !== 0x20) return { invalid: 'RFC 5424 version is not 1' };
  const timestamp = field(text, rest + 2);
  const hostname = field(text, timestamp.end + 1);
  const appName = field(text, hostname.end + 1);
  const procId = field(text, appName.end + 1);
  const msgId = field(text, procId.end + 1);
  if (msgId.end >= text.length || timestamp.value === '' || hostname.value === '' || appName.value === '') {
    return { invalid: 'RFC 5424 header is incomplete' };
  }
  const sdEnd = skipStructuredData(text, msgId.end + 1);
  if (sdEnd < 0) return { invalid: 'RFC 5424 structured data does not close' };
  let message = sdEnd < text.length ? text.slice(sdEnd + 1) : '';
  if (message.startsWith(BOM)) message = message.slice(1);
  return {
    hostname: hostname.value === NIL ? '' : hostname.value,
    tag: appName.value === NIL ? '' : appName.value,
    message,
  };
}
