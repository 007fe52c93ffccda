import { parseRfc3164 } from './rfc3164_parser.js';
import { parseRfc5424 } from './rfc5424_parser.js';
import { afterPri, withoutTrailer } from './syslog_message.js';
import type { SyslogParseResult } from './syslog_message.js';

/**
 * One message (a datagram or a TCP frame, decoded as UTF-8): RFC 5424 when `<PRI>` is followed by
 * the version `1 `, RFC 3164 otherwise. Anything without a valid `<PRI>` is not syslog.
 */
export function parseSyslog(raw: string): SyslogParseResult {
  const text = withoutTrailer(raw);
  const rest = afterPri(text);
  if (rest < 0) return { invalid: 'no <PRI> at the start' };
  if (text.charCodeAt(rest) === 0x31 && text.charCodeAt(rest + 1) === 0x20) return parseRfc5424(text, rest);
  return parseRfc3164(text, rest);
}
