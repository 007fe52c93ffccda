/**
 * Bounded label values: whatever a log line says, these functions return one of a few strings, so
 * a scan with made-up methods or protocols cannot add series to Prometheus.
 */

export const OTHER = 'other';

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE']);

/** Every value of the `method` label; a value's position is its index in tally tables. */
export const METHOD_LABELS: readonly string[] = [...METHODS, OTHER];

/** The HTTP method as a label: one of the nine standard methods (any case), else `other`. */
export function methodLabel(method: string): string {
  if (METHODS.has(method)) return method;
  const upper = method.toUpperCase();
  return METHODS.has(upper) ? upper : OTHER;
}

/**
 * The position of `methodLabel(method)` in METHOD_LABELS. A scan of ten short strings, most
 * common first, rather than a Map: a Map hashes every new string, and each event brings one.
 */
export function methodIndex(method: string): number {
  const index = METHOD_LABELS.indexOf(method);
  return index >= 0 ? index : METHOD_LABELS.indexOf(methodLabel(method));
}

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/** Every value of the `status_class` label; a value's position is its index in tally tables. */
export const STATUS_CLASS_LABELS: readonly string[] = [...STATUS_CLASSES, OTHER];

/**
 * `1xx` … `5xx` for a status from 100 to 599, else `other`. 1xx is kept: 101 (WebSocket upgrade)
 * is common in nginx logs.
 */
export function statusClassLabel(status: number): string {
  if (!Number.isInteger(status) || status < 100 || status > 599) return OTHER;
  return STATUS_CLASSES[Math.floor(status / 100) - 1] ?? OTHER;
}

/** The position of `statusClassLabel(status)` in STATUS_CLASS_LABELS. */
export function statusClassIndex(status: number): number {
  if (!Number.isInteger(status) || status < 100 || status > 599) return STATUS_CLASSES.length;
  return Math.floor(status / 100) - 1;
}

/** Transfer protocols SFTPGo and common servers log, keyed by upper case, with their usual spelling. */
const PROTOCOLS = new Map<string, string>([
  ['SFTP', 'SFTP'],
  ['SCP', 'SCP'],
  ['SSH', 'SSH'],
  ['FTP', 'FTP'],
  ['FTPS', 'FTPS'],
  ['DAV', 'DAV'],
  ['WEBDAV', 'DAV'],
  ['HTTP', 'HTTP'],
  ['HTTPS', 'HTTPS'],
  ['HTTPSHARE', 'HTTPShare'],
]);

/** The transfer protocol as a label: a known protocol in its usual spelling, else `other`. */
export function protocolLabel(protocol: string): string {
  return PROTOCOLS.get(protocol.toUpperCase()) ?? OTHER;
}

/** Every value of the `protocol` label; a value's position is its index in tally tables. */
export const PROTOCOL_LABELS: readonly string[] = [...new Set(PROTOCOLS.values()), OTHER];
const PROTOCOL_INDEX = new Map(PROTOCOL_LABELS.map((label, index) => [label, index]));

/** The position of `protocolLabel(protocol)` in PROTOCOL_LABELS. */
export function protocolIndex(protocol: string): number {
  return PROTOCOL_INDEX.get(protocolLabel(protocol)) as number;
}

const DIRECTIONS = new Set(['upload', 'download']);

/** `upload` or `download`, else `other`. */
export function directionLabel(direction: string): string {
  return DIRECTIONS.has(direction) ? direction : OTHER;
}

/** Every value of the `direction` label; a value's position is its index in tally tables. */
export const DIRECTION_LABELS: readonly string[] = [...DIRECTIONS, OTHER];
const DIRECTION_INDEX = new Map(DIRECTION_LABELS.map((label, index) => [label, index]));

/** The position of `directionLabel(direction)` in DIRECTION_LABELS. */
export function directionIndex(direction: string): number {
  return DIRECTION_INDEX.get(directionLabel(direction)) as number;
}
