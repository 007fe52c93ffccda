import type { Logger } from 'pino';

export interface OtlpSourceOptions {
  /** Port of POST /v1/logs; 0 picks a free one. The OTLP/HTTP standard port is 4318. */
  port: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** A bearer token that may write any source. @default '' */
  ingestToken?: string;
  /** A file of `source token` lines: each token writes only its own source. @default '' */
  ingestTokensFile?: string;
  /** Largest request body, compressed and decompressed alike. @default 20971520 (the Collector's own) */
  maxBodyBytes?: number;
  /** Longest record body kept; longer ones are cut and counted as truncated. @default 65536 */
  maxLineBytes?: number;
  /** Format forced on every record, undefined to detect per shipped file. */
  format?: string;
  /** Time for the headers of a request to arrive. @default 10000 */
  headersTimeoutMs?: number;
  /** Time for a whole request (headers and body) to arrive; a slow sender is cut off after it. @default 30000 */
  requestTimeoutMs?: number;
  /** Connections open at once; more are refused at accept. @default 256 */
  maxConnections?: number;
  /** Requests handed to the pipeline and awaiting their acknowledgement at once; more get 429. @default 64 */
  maxInFlightRequests?: number;
  /** How long the pipeline may take to accept a request's lines before the sink counts as pushing back (503). @default 2000 */
  sinkWaitMs?: number;
  /** How long ClickHouse may take to store a request's lines before the answer is 503 (the retry folds). @default 30000 */
  ackTimeoutMs?: number;
  /** `Retry-After` of 429 and 503 answers. @default 5 */
  retryAfterSeconds?: number;
  /** How often node checks request and headers timeouts. @default 1000 */
  timeoutCheckIntervalMs?: number;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export type ResolvedOtlpSourceOptions = Required<Omit<OtlpSourceOptions, 'format' | 'logger'>> & Pick<OtlpSourceOptions, 'format' | 'logger'>;

export function resolveOtlpSourceOptions(options: OtlpSourceOptions): ResolvedOtlpSourceOptions {
  return {
    port: options.port,
    host: options.host ?? '127.0.0.1',
    ingestToken: options.ingestToken ?? '',
    ingestTokensFile: options.ingestTokensFile ?? '',
    maxBodyBytes: options.maxBodyBytes ?? 20 * 1024 * 1024,
    maxLineBytes: options.maxLineBytes ?? 65_536,
    format: options.format,
    headersTimeoutMs: options.headersTimeoutMs ?? 10_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    maxConnections: options.maxConnections ?? 256,
    maxInFlightRequests: options.maxInFlightRequests ?? 64,
    sinkWaitMs: options.sinkWaitMs ?? 2_000,
    ackTimeoutMs: options.ackTimeoutMs ?? 30_000,
    retryAfterSeconds: options.retryAfterSeconds ?? 5,
    timeoutCheckIntervalMs: options.timeoutCheckIntervalMs ?? 1_000,
    logger: options.logger,
  };
}

/** True for addresses only this machine reaches: there the endpoint may run without tokens. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}
