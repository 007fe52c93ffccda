/** One syslog message as the listener keeps it: who sent it, its tag, and the access line it carries. */
export interface SyslogMessage {
  /** HOSTNAME of the header; '' when the sender wrote none (nginx `nohostname`, HAProxy, RFC 5424 `-`). */
  hostname: string;
  /** The tag (RFC 3164 `nginx:` or `haproxy[123]:` without the pid) or RFC 5424 APP-NAME; '' when none. */
  tag: string;
  /** The MSG part: the raw access line, without a BOM or line end. */
  message: string;
}

/** Why a message is refused as unparseable. */
export type SyslogParseResult = SyslogMessage | { invalid: string };

const LT = 0x3c;
const GT = 0x3e;

/**
 * The `<PRI>` of a message: 1 to 3 digits from 0 to 191 (facility * 8 + severity), no leading
 * zero except `<0>`. Returns the index just past `>`, or -1.
 */
export function afterPri(text: string): number {
  if (text.charCodeAt(0) !== LT) return -1;
  let value = 0;
  let i = 1;
  for (; i < 5 && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === GT) break;
    if (c < 0x30 || c > 0x39) return -1;
    if (i === 2 && value === 0) return -1;
    value = value * 10 + (c - 0x30);
  }
  if (i === 1 || text.charCodeAt(i) !== GT || value > 191) return -1;
  return i + 1;
}

/** Drops what senders put after a message: LF, CRLF, NUL (some add one), in any number. */
export function withoutTrailer(text: string): string {
  let end = text.length;
  while (end > 0) {
    const c = text.charCodeAt(end - 1);
    if (c !== 0x0a && c !== 0x0d && c !== 0x00) break;
    end--;
  }
  return end === text.length ? text : text.slice(0, end);
}
