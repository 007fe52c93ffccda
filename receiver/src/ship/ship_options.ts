import { hostname } from 'node:os';
import { ShipOptionError } from './ship_errors.js';

export interface ShipOptions {
  /** The receiver's OTLP/HTTP endpoint; a URL without a path gets `/v1/logs`, as the Collector's otlphttp exporter does. */
  to: string;
  /** Files, directories or globs to follow. */
  paths: string[];
  /** `host.name` of every record: the events' source at the receiver. @default os.hostname() */
  source?: string;
  /** Directory of the agent's own checkpoints. @default ./data-ship */
  dataDir?: string;
  /** Bearer token; else LOGPULSE_SHIP_TOKEN. @default none */
  token?: string;
  /** Port of the agent's `/metrics`; -1 for none. @default -1 */
  metricsPort?: number;
  /** @default 127.0.0.1 */
  metricsHost?: string;
  /** Lines per export request at most. @default 4096 */
  batchLines?: number;
  /** Export requests awaiting their answer at once. @default 8 */
  maxInFlight?: number;
  /** One request's time limit. @default 30000 */
  requestTimeoutMs?: number;
  /** First retry delay; it doubles per failure, with jitter. @default 500 */
  retryInitialMs?: number;
  /** Longest backoff between two attempts. @default 30000 */
  retryMaxMs?: number;
  /** Longest Retry-After honoured as given. @default 300000 */
  maxRetryAfterMs?: number;
  /** Where to start in files present at the first start: the whole file, or only what is written from now. @default 'beginning' */
  startAt?: 'beginning' | 'end';
  /** How often files are looked at. @default 250 */
  pollIntervalMs?: number;
  /** One-line status refreshed in place: 'auto' on a terminal. @default 'auto' */
  status?: 'auto' | 'on' | 'off';
}

export interface ResolvedShipOptions extends Required<Omit<ShipOptions, 'to' | 'token'>> {
  url: URL;
  token: string | undefined;
}

function integer(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new ShipOptionError(`${name}: expected a whole number of at least ${min}, got ${JSON.stringify(value)}`);
  return value;
}

/** The endpoint URL, checked; no password or token of it ever reaches a message. */
export function endpointUrl(to: string): URL {
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    throw new ShipOptionError(`--to: expected an http(s):// URL of a logpulse OTLP endpoint, e.g. http://central:4318, got ${JSON.stringify(to.replace(/\/\/[^@/]*@/, '//***@'))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ShipOptionError(`--to: expected an http:// or https:// URL, got the scheme ${JSON.stringify(url.protocol)}`);
  if (url.username !== '' || url.password !== '') throw new ShipOptionError('--to: credentials in the URL are not sent; give the token with --token or LOGPULSE_SHIP_TOKEN');
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/logs';
  return url;
}

export function resolveShipOptions(options: ShipOptions, env: NodeJS.ProcessEnv = process.env): ResolvedShipOptions {
  if (options.paths.length === 0) throw new ShipOptionError('PATH: expected at least one file, directory or glob to ship, got none');
  const token = options.token ?? env['LOGPULSE_SHIP_TOKEN'];
  const source = (options.source ?? hostname()).trim();
  if (source === '') throw new ShipOptionError('--source: expected a host name, got an empty string');
  const startAt = options.startAt ?? 'beginning';
  if (startAt !== 'beginning' && startAt !== 'end') throw new ShipOptionError(`--start-at: expected "beginning" or "end", got ${JSON.stringify(startAt)}`);
  const status = options.status ?? 'auto';
  if (!['auto', 'on', 'off'].includes(status)) throw new ShipOptionError(`--status: expected auto, on or off, got ${JSON.stringify(status)}`);
  const metricsPort = options.metricsPort ?? -1;
  if (metricsPort !== -1) integer('--metrics-port', metricsPort, 0);
  if (metricsPort > 65535) throw new ShipOptionError(`--metrics-port: expected a TCP port from 0 to 65535, got ${metricsPort}`);
  const retryInitialMs = integer('--retry-initial-ms', options.retryInitialMs ?? 500, 1);
  return {
    url: endpointUrl(options.to),
    token: token === undefined || token === '' ? undefined : token,
    paths: options.paths,
    source,
    dataDir: options.dataDir ?? './data-ship',
    metricsPort,
    metricsHost: options.metricsHost ?? '127.0.0.1',
    batchLines: integer('--batch-lines', options.batchLines ?? 4096, 1),
    maxInFlight: integer('--max-in-flight', options.maxInFlight ?? 8, 1),
    requestTimeoutMs: integer('--request-timeout-ms', options.requestTimeoutMs ?? 30_000, 1),
    retryInitialMs,
    retryMaxMs: Math.max(retryInitialMs, integer('--retry-max-ms', options.retryMaxMs ?? 30_000, 1)),
    maxRetryAfterMs: integer('maxRetryAfterMs', options.maxRetryAfterMs ?? 300_000, 0),
    startAt,
    pollIntervalMs: integer('--poll-interval-ms', options.pollIntervalMs ?? 250, 1),
    status,
  };
}
