/**
 * Bounded label values: whatever a log line says, these functions return one of a few strings, so
 * a scan with made-up methods or protocols cannot add series to Prometheus.
 */

export const OTHER = 'other';

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE']);

/** The HTTP method as a label: one of the nine standard methods (any case), else `other`. */
export function methodLabel(method: string): string {
  if (METHODS.has(method)) return method;
  const upper = method.toUpperCase();
  return METHODS.has(upper) ? upper : OTHER;
}

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/**
 * `1xx` … `5xx` for a status from 100 to 599, else `other`. 1xx is kept: 101 (WebSocket upgrade)
 * is common in nginx logs.
 */
export function statusClassLabel(status: number): string {
  if (!Number.isInteger(status) || status < 100 || status > 599) return OTHER;
  return STATUS_CLASSES[Math.floor(status / 100) - 1] ?? OTHER;
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

const DIRECTIONS = new Set(['upload', 'download']);

/** `upload` or `download`, else `other`. */
export function directionLabel(direction: string): string {
  return DIRECTIONS.has(direction) ? direction : OTHER;
}
