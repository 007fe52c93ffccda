import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { EventConsumer } from '../pipeline/consumer.js';
import type { ReceiverTelemetry } from '../model/telemetry.js';
import { EventMetrics } from './event_metrics.js';
import { createInstruments } from './instruments.js';
import type { Instruments } from './instruments.js';
import { createMeterSetup, type MeterSetup } from './meter_provider.js';
import { MetricsShutdownError } from './metrics_errors.js';
import { MetricsServer } from './metrics_server.js';
import { assertThreshold, resolveMetricsOptions } from './metrics_options.js';
import type { ReceiverMetricsOptions, ResolvedMetricsOptions } from './metrics_options.js';
import { MetricsTelemetry } from './metrics_telemetry.js';
import { SectionLimiter } from './section_limiter.js';
import { SourceLimiter } from './source_limiter.js';

/**
 * The receiver's OpenTelemetry metrics: instruments fed by `consumer` (parsed events) and
 * `telemetry` (line and sink outcomes), scraped from `/metrics` on one HTTP server that also
 * answers `/healthz` and `/readyz`, and optionally pushed over OTLP/HTTP.
 */
export class ReceiverMetrics {
  /** Feeds the HTTP and transfer series; register it with the pipeline's fan-out. */
  readonly consumer: EventConsumer;
  /** Feeds the line and sink series. */
  readonly telemetry: ReceiverTelemetry;

  private readonly options: ResolvedMetricsOptions;
  private readonly provider: MeterProvider;
  private readonly instruments: Instruments;
  private readonly server: MetricsServer;
  private boundPort: number | undefined;
  private stopping: Promise<void> | undefined;

  /** Validates the options (a bad one rejects with a RangeError naming it); nothing listens yet. */
  static async create(options: ReceiverMetricsOptions = {}): Promise<ReceiverMetrics> {
    const resolved = resolveMetricsOptions(options);
    return new ReceiverMetrics(resolved, await createMeterSetup(resolved));
  }

  private constructor(options: ResolvedMetricsOptions, { provider, prometheus }: MeterSetup) {
    this.options = options;
    this.provider = provider;
    this.instruments = createInstruments(provider.getMeter('logpulse', this.options.serviceVersion));
    const sources = new SourceLimiter(this.options.maxSources);
    this.consumer = new EventMetrics(this.instruments, new SectionLimiter(this.options.maxSectionsPerSource), sources);
    this.telemetry = new MetricsTelemetry(this.instruments, sources);
    this.server = new MetricsServer(prometheus, this.options.ready);
    this.instruments.highTrafficThreshold.record(this.options.highTrafficThresholdRps);
  }

  /** Listens on `metricsHost:metricsPort`. A busy port rejects with a MetricsListenError naming it. */
  async start(): Promise<void> {
    if (this.boundPort !== undefined) return;
    this.boundPort = await this.server.listen(this.options.metricsHost, this.options.metricsPort);
  }

  /** The port the server listens on (the real one when `metricsPort` was 0). */
  get port(): number {
    if (this.boundPort === undefined) throw new Error('metrics: port read before start()');
    return this.boundPort;
  }

  /** Base URL of the server, e.g. `http://127.0.0.1:9464`. */
  get url(): string {
    const host = this.options.metricsHost.includes(':') ? `[${this.options.metricsHost}]` : this.options.metricsHost;
    return `http://${host}:${this.port}`;
  }

  /** Publishes a new high-traffic threshold: the Prometheus rule reads it, so it needs no edit. */
  setThreshold(rps: number): void {
    assertThreshold(rps, 'threshold');
    this.instruments.highTrafficThreshold.record(rps);
  }

  /** Closes the server and pushes the last OTLP export, bounded by `shutdownTimeoutMs`. Idempotent;
   * rejects with a MetricsShutdownError when that last export fails (the server is closed anyway). */
  shutdown(): Promise<void> {
    this.stopping ??= this.stop();
    return this.stopping;
  }

  private async stop(): Promise<void> {
    const timeoutMillis = this.options.shutdownTimeoutMs;
    // A collector that does not answer must not hold the process: the SDK bounds this call.
    const [, provider] = await Promise.allSettled([this.server.close(), this.provider.shutdown({ timeoutMillis })]);
    if (provider.status === 'rejected') throw new MetricsShutdownError(provider.reason);
  }
}
