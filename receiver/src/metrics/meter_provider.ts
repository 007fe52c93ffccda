import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { IMetricReader } from '@opentelemetry/sdk-metrics';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { ResolvedMetricsOptions } from './metrics_options.js';

/** `host.name` is still in the incubating semantic conventions; the key itself is stable. */
const ATTR_HOST_NAME = 'host.name';

export interface MeterSetup {
  provider: MeterProvider;
  /** Serves the scrape; its own HTTP server is never started (we serve `/metrics` ourselves). */
  prometheus: PrometheusExporter;
}

/**
 * A meter provider with the `logpulse` resource, a Prometheus reader, an optional OTLP/HTTP push
 * reader, and a view that caps the attribute sets of every logpulse instrument.
 */
export async function createMeterSetup(options: ResolvedMetricsOptions): Promise<MeterSetup> {
  const prometheus = new PrometheusExporter({
    preventServerStart: true,
    // Scope labels (otel_scope_name, ...) would add a label to every series of the contract table.
    withoutScopeInfo: true,
  });
  const readers: IMetricReader[] = [prometheus];
  if (options.otlpMetricsEndpoint !== undefined) {
    // Loaded only to push: the OTLP exporter's modules take about 0.1 s of start-up.
    const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-http');
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: options.otlpMetricsEndpoint }),
        exportIntervalMillis: options.otlpExportIntervalMs,
        exportTimeoutMillis: Math.min(options.otlpExportIntervalMs, 30_000),
      }),
    );
  }
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: 'logpulse',
      [ATTR_SERVICE_VERSION]: options.serviceVersion,
      [ATTR_HOST_NAME]: options.hostName,
    }),
    views: [{ instrumentName: 'logpulse_*', aggregationCardinalityLimit: options.maxSeriesPerMetric }],
    readers,
  });
  return { provider, prometheus };
}
