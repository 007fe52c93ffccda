import http from 'node:http';
import https from 'node:https';
import { rejectedRecords, statusMessage } from './otlp_log_encoder.js';
import { ShipRequestError } from './ship_errors.js';
import { parseRetryAfter } from './retry_schedule.js';

export interface ExporterOptions {
  /** The receiver's logs endpoint, e.g. `http://central:4318/v1/logs`. */
  url: URL;
  /** Bearer token; never logged, never part of an error message. */
  token: string | undefined;
  /** One request's time limit, connection to last byte of the answer. */
  timeoutMs: number;
}

/** Largest answer read: OTLP answers are tiny, a proxy's error page need not be read whole. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * Posts export requests (protobuf + gzip) over kept-alive connections. `send` resolves with the
 * records the server rejected (partial success) on a 2xx, and rejects with a ShipRequestError
 * (status, Retry-After) on anything else, including no answer at all.
 */
export class OtlpHttpExporter {
  private readonly agent: http.Agent;
  private readonly request: typeof http.request;

  constructor(private readonly options: ExporterOptions) {
    const secure = options.url.protocol === 'https:';
    this.agent = secure ? new https.Agent({ keepAlive: true, maxSockets: 16 }) : new http.Agent({ keepAlive: true, maxSockets: 16 });
    this.request = secure ? https.request : http.request;
  }

  send(body: Buffer): Promise<{ rejected: number }> {
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': 'application/x-protobuf',
      'Content-Encoding': 'gzip',
      'Content-Length': body.length,
      'User-Agent': 'logpulse-ship',
    };
    if (this.options.token !== undefined) headers['Authorization'] = `Bearer ${this.options.token}`;
    return new Promise((resolve, reject) => {
      const req = this.request(this.options.url, { method: 'POST', headers, agent: this.agent, timeout: this.options.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('error', (error) => reject(new ShipRequestError(`ship: reading the answer: ${error.message}`, 0, undefined, { cause: error })));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const answer = Buffer.concat(chunks);
          if (status >= 200 && status < 300) return resolve({ rejected: rejectedRecords(answer) });
          const header = res.headers['retry-after'];
          const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(Array.isArray(header) ? header[0] : header) : undefined;
          const reason = statusMessage(answer).replace(/\s+/g, ' ').slice(0, 200);
          reject(new ShipRequestError(`ship: ${status} ${res.statusMessage ?? ''}${reason === '' ? '' : `: ${reason}`}`, status, retryAfterMs));
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`)));
      req.on('error', (error) => reject(new ShipRequestError(`ship: ${this.options.url.host}: ${(error as NodeJS.ErrnoException).code ?? error.message}`, 0, undefined, { cause: error })));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
