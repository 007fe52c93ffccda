import type { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import { createMeterSetup } from '../metrics/meter_provider.js';
import { MetricsServer } from '../metrics/metrics_server.js';
import { resolveMetricsOptions } from '../metrics/metrics_options.js';
import type { ShipStats } from './ship_stats.js';

export interface ShipMetricsOptions {
  port: number;
  host: string;
  source: string;
  stats: ShipStats;
  /** Bytes in the followed files not yet stored by the receiver. */
  lagBytes: () => number;
  inFlight: () => number;
  /** Ready while the last request was stored (or none failed yet). */
  ready: () => boolean;
}

/**
 * The agent's own `/metrics` (and `/healthz`, `/readyz`), through the receiver's meter set-up and
 * HTTP server. Every series is observed from ShipStats at scrape time: the hot path only adds to
 * plain numbers.
 */
export class ShipMetrics {
  private constructor(
    private readonly provider: MeterProvider,
    private readonly server: MetricsServer,
    readonly port: number,
  ) {}

  static async create(options: ShipMetricsOptions): Promise<ShipMetrics> {
    const resolved = resolveMetricsOptions({ metricsPort: options.port, metricsHost: options.host, hostName: options.source, otlpMetricsEndpoint: '' });
    const { provider, prometheus } = await createMeterSetup(resolved);
    const meter = provider.getMeter('logpulse.ship');
    const { stats } = options;
    meter.createObservableCounter('logpulse_ship_lines', { description: 'Lines the receiver stored (a 2xx answered their request).', unit: '{line}' })
      .addCallback((r) => r.observe(stats.lines));
    meter.createObservableCounter('logpulse_ship_bytes', { description: 'Bytes of the followed files shipped and stored, line ends included.', unit: 'By' })
      .addCallback((r) => r.observe(stats.fileBytes));
    meter.createObservableCounter('logpulse_ship_requests', { description: 'Export requests by outcome (stored, partial, throttled, unavailable, too_large, refused, unreachable).', unit: '{request}' })
      .addCallback((r) => {
        for (const [outcome, count] of stats.requests) r.observe(count, { outcome });
      });
    meter.createObservableCounter('logpulse_ship_records_rejected', { description: 'Records the receiver stored no event for (partial success: not a line of a known format).', unit: '{record}' })
      .addCallback((r) => r.observe(stats.rejectedRecords));
    meter.createObservableCounter('logpulse_ship_lines_dropped', { description: 'Lines skipped because the receiver refuses even one alone as too large.', unit: '{line}' })
      .addCallback((r) => r.observe(stats.droppedLines));
    meter.createObservableGauge('logpulse_ship_lag_bytes', { description: 'Bytes of the followed files not yet stored by the receiver.', unit: 'By' })
      .addCallback((r) => r.observe(options.lagBytes()));
    meter.createObservableGauge('logpulse_ship_in_flight_requests', { description: 'Export requests sent and not yet answered with a 2xx.', unit: '{request}' })
      .addCallback((r) => r.observe(options.inFlight()));
    const server = new MetricsServer(prometheus as PrometheusExporter, () => (options.ready() ? { ready: true } : { ready: false, reason: 'the receiver is not storing requests' }));
    const port = await server.listen(options.host, options.port);
    return new ShipMetrics(provider, server, port);
  }

  async shutdown(): Promise<void> {
    await this.server.close();
    await this.provider.shutdown();
  }
}
