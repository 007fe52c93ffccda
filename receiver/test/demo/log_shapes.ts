import { isIP } from 'node:net';

/**
 * The shapes the demo lines must have, written here independently of the generators (and of the
 * parsers) so a generator change that breaks the format fails these tests.
 */

const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';

/** nginx `combined`: `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"`. */
export const COMBINED_LINE = new RegExp(
  '^(?<client>[0-9a-f.:]+) - (?<user>-|[a-z][a-z0-9_-]*) ' +
    `\\[(?<time>\\d{2}/(?:${MONTHS})/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000)\\] ` +
    '"(?<method>GET|POST|PUT|PATCH|DELETE|HEAD) (?<path>/[^"\\s]*) (?<protocol>HTTP/1\\.1|HTTP/2\\.0)" ' +
    '(?<status>[1-5]\\d\\d) (?<bytes>0|[1-9]\\d*) ' +
    '"(?<referer>-|https?://[^"\\s]+)" "(?<agent>[^"\\\\]+)"$',
);

export interface CombinedFields {
  client: string;
  user: string;
  time: string;
  method: string;
  path: string;
  protocol: string;
  status: number;
  bytes: number;
  referer: string;
  agent: string;
}

/** The fields of a combined line, or undefined when the line does not have the exact shape. */
export function matchCombined(line: string): CombinedFields | undefined {
  const groups = COMBINED_LINE.exec(line)?.groups;
  if (groups === undefined || isIP(groups['client'] ?? '') === 0) return undefined;
  return {
    client: groups['client'] ?? '',
    user: groups['user'] ?? '',
    time: groups['time'] ?? '',
    method: groups['method'] ?? '',
    path: groups['path'] ?? '',
    protocol: groups['protocol'] ?? '',
    status: Number(groups['status']),
    bytes: Number(groups['bytes']),
    referer: groups['referer'] ?? '',
    agent: groups['agent'] ?? '',
  };
}

/** `22/Nov/2026:10:00:00 +0000` for an epoch-millisecond time, computed without the generator's code. */
export function clfTime(epochMs: number): string {
  // toUTCString: `Sun, 22 Nov 2026 10:00:00 GMT`.
  const parts = /^\w{3}, (\d{2}) (\w{3}) (\d{4}) (\d{2}:\d{2}:\d{2}) GMT$/.exec(new Date(epochMs).toUTCString());
  if (parts === null) throw new Error(`test: cannot format ${epochMs}`);
  return `${parts[1]}/${parts[2]}/${parts[3]}:${parts[4]} +0000`;
}

/** The section of a request target: the path up to its second `/`, without the query string. */
export function sectionOf(path: string): string {
  const bare = path.split('?')[0] ?? path;
  const second = bare.indexOf('/', 1);
  return second === -1 ? bare : bare.slice(0, second);
}

/** `host:port` or `[v6]:port` with a valid address and port. */
export function isHostPort(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = /^(?:\[(?<v6>[0-9a-f:]+)\]|(?<v4>[\d.]+)):(?<port>\d{1,5})$/.exec(value);
  const host = match?.groups?.['v6'] ?? match?.groups?.['v4'];
  const port = Number(match?.groups?.['port']);
  return host !== undefined && isIP(host) !== 0 && port > 0 && port < 65536;
}
