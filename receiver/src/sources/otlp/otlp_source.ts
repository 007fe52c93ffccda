import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CountingBatchHandler } from '../../model/line_batch.js';
import type { OtlpRequestOutcome, ReceiverTelemetry } from '../../model/telemetry.js';
import { ConfigError } from '../../config/config_error.js';
import { IngestAuth } from './otlp_auth.js';
import { ClientGoneError, readBody } from './otlp_body.js';
import { decodeExportRequest } from './otlp_decode.js';
import type { OtlpEncoding } from './otlp_decode.js';
import { OtlpRequestError, RpcCode } from './otlp_errors.js';
import { OtlpIngest } from './otlp_ingest.js';
import { isLoopback, resolveOtlpSourceOptions } from './otlp_options.js';
import type { OtlpSourceOptions, ResolvedOtlpSourceOptions } from './otlp_options.js';
import { CONTENT_TYPES, exportResponse, statusBody } from './otlp_response.js';

const PATH = '/v1/logs';

function encodingOf(req: IncomingMessage): OtlpEncoding | undefined {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

function outcomeOf(status: number): OtlpRequestOutcome {
  switch (status) {
    case 401: return 'unauthorized';
    case 403: return 'forbidden';
    case 413: return 'too_large';
    case 415: return 'unsupported';
    case 429: return 'throttled';
    case 503: return 'unavailable';
    default: return 'bad_request';
  }
}

/**
 * The OTLP/HTTP logs endpoint: POST /v1/logs in protobuf or JSON, answered in the same encoding.
 * A 200 means every record of the request is stored in ClickHouse (or was rejected, as
 * `partial_success` says); anything else means nothing needs to be trusted stored, and the
 * client's retry folds onto whatever was.
 */
export class OtlpSource {
  private readonly options: ResolvedOtlpSourceOptions;
  private readonly auth: IngestAuth;
  private readonly ingest: OtlpIngest;
  private server: Server | undefined;

  constructor(options: OtlpSourceOptions, handler: CountingBatchHandler, private readonly telemetry: ReceiverTelemetry) {
    this.options = resolveOtlpSourceOptions(options);
    this.auth = IngestAuth.load(this.options.ingestToken, this.options.ingestTokensFile);
    if (!this.auth.required && !isLoopback(this.options.host)) {
      throw new ConfigError(`--otlp-host: listening on ${this.options.host} needs --ingest-token or --ingest-tokens-file; without tokens only a loopback address is allowed`);
    }
    this.ingest = new OtlpIngest(handler, this.options, telemetry);
  }

  /** The URL of the endpoint once started. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    const host = address?.family === 'IPv6' ? `[${address.address}]` : address?.address;
    return address ? `http://${host}:${address.port}${PATH}` : '';
  }

  async start(): Promise<void> {
    const o = this.options;
    const server = createServer({ requestTimeout: o.requestTimeoutMs, headersTimeout: Math.min(o.headersTimeoutMs, o.requestTimeoutMs), connectionsCheckingInterval: o.timeoutCheckIntervalMs }, (req, res) => {
      this.serve(req, res).catch((error: unknown) => {
        o.logger?.warn({ err: String(error) }, 'otlp: request failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    server.maxConnections = o.maxConnections;
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    o.logger?.info({ url: this.url, auth: this.auth.required }, 'OTLP/HTTP logs endpoint listening');
  }

  /** Stops accepting; requests being stored get `ackTimeoutMs` at most to be answered. */
  async shutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeIdleConnections();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const timer = setTimeout(() => server.closeAllConnections(), this.options.ackTimeoutMs);
    timer.unref();
    await closed;
    clearTimeout(timer);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const encoding = encodingOf(req) ?? 'json';
    let source = 'unknown';
    try {
      const path = (req.url ?? '').split('?')[0];
      if (path !== PATH) throw new OtlpRequestError(404, RpcCode.UNIMPLEMENTED, `otlp: no such path; logs are exported to POST ${PATH}`);
      if (req.method !== 'POST') throw new OtlpRequestError(405, RpcCode.UNIMPLEMENTED, `otlp: ${PATH} takes POST only`);
      if (encodingOf(req) === undefined) {
        throw new OtlpRequestError(415, RpcCode.UNIMPLEMENTED, 'otlp: Content-Type must be application/x-protobuf or application/json');
      }
      const auth = this.auth.check(req.headers.authorization);
      if (!auth.ok) throw new OtlpRequestError(401, RpcCode.UNAUTHENTICATED, auth.reason === 'missing' ? 'otlp: a bearer token is required' : 'otlp: the bearer token is not valid');
      source = auth.source ?? source;
      const body = await readBody(req, this.options.maxBodyBytes);
      const resources = decodeExportRequest(body, encoding);
      const result = await this.ingest.ingest(resources, auth.source);
      source = result.source;
      const message = result.rejected > 0 ? `${result.rejected} of ${result.records} log records rejected: ${result.firstReason}` : '';
      this.send(res, 200, encoding, exportResponse(encoding, result.rejected, message));
      this.telemetry.otlpRequest(source, result.rejected > 0 ? 'partial' : 'accepted');
    } catch (error) {
      if (error instanceof ClientGoneError) {
        this.telemetry.otlpRequest(source, 'aborted');
        res.destroy();
        return;
      }
      if (!(error instanceof OtlpRequestError)) throw error;
      const headers: Record<string, string> = {};
      if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
      // A body left unread (413 on Content-Length, 401 before reading) would be parsed as the next request.
      if (!req.complete) headers.Connection = 'close';
      this.send(res, error.httpStatus, encoding, statusBody(encoding, error.rpcCode, error.message), headers);
      this.telemetry.otlpRequest(source, outcomeOf(error.httpStatus));
    }
  }

  private send(res: ServerResponse, status: number, encoding: OtlpEncoding, body: Buffer, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'Content-Type': CONTENT_TYPES[encoding], 'Content-Length': String(body.length), ...headers });
    res.end(body);
  }
}
