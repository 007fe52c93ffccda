import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MetricsListenError } from './metrics_errors.js';
import type { Readiness, ReadinessCheck } from './metrics_options.js';

/**
 * One HTTP server for everything an orchestrator or Prometheus asks the receiver:
 * `/metrics` (the exporter's handler), `/healthz` (the process answers) and `/readyz`
 * (the readiness check says the sink is reachable and sources are open).
 */
export class MetricsServer {
  private readonly server: Server;

  constructor(
    private readonly exporter: PrometheusExporter,
    private readonly ready: ReadinessCheck,
  ) {
    this.server = createServer((req, res) => this.handle(req, res));
    // A scraper holding a keep-alive connection must not delay shutdown.
    this.server.keepAliveTimeout = 5000;
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: unknown): void => reject(new MetricsListenError(host, port, error));
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendJson(res, 405, { status: 'method not allowed' });
    }
    switch (path) {
      case '/metrics':
        return this.exporter.getMetricsRequestHandler(req, res);
      case '/healthz':
        return sendJson(res, 200, { status: 'alive' });
      case '/readyz':
        void this.answerReadiness(res);
        return;
      default:
        return sendJson(res, 404, { status: 'not found', paths: ['/metrics', '/healthz', '/readyz'] });
    }
  }

  private async answerReadiness(res: ServerResponse): Promise<void> {
    let readiness: Readiness;
    try {
      readiness = await this.ready();
    } catch (error) {
      readiness = { ready: false, reason: `readiness check failed: ${(error as Error)?.message ?? String(error)}` };
    }
    if (readiness.ready) sendJson(res, 200, { status: 'ready' });
    else sendJson(res, 503, { status: 'not ready', reason: readiness.reason });
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}
