import { hostname } from 'node:os';

/** Answer of the readiness check behind `/readyz`. */
export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * Tells whether the receiver can do its work: the sink is reachable and the sources are open.
 * A thrown error or a rejected promise counts as not ready, with the error's message as reason.
 */
export type ReadinessCheck = () => Readiness | Promise<Readiness>;

export interface ReceiverMetricsOptions {
  /**
   * Port of the HTTP server serving `/metrics`, `/healthz` and `/readyz`. 0 picks a free port.
   * @default 9464
   */
  metricsPort?: number;
  /**
   * Address the HTTP server listens on. Use 0.0.0.0 to let a Prometheus on another host scrape.
   * @default '127.0.0.1'
   */
  metricsHost?: string;
  /**
   * OTLP/HTTP endpoint the metrics are also pushed to, e.g. `http://collector:4318/v1/metrics`.
   * @default undefined (no push; an empty string means the same)
   */
  otlpMetricsEndpoint?: string;
  /**
   * Interval between two OTLP pushes.
   * @default 10000
   */
  otlpExportIntervalMs?: number;
  /**
   * Distinct sections per source that keep their own `section` label: the first N sections seen
   * for a source keep it for the life of the process, every later one is counted as `other`.
   * @default 50
   */
  maxSectionsPerSource?: number;
  /**
   * Distinct `source` label values: the first ones seen keep their own label, every later one is
   * counted as `other` (sources are host names that senders choose).
   * @default 1000
   */
  maxSources?: number;
  /**
   * Last guard against a label explosion: attribute sets kept per instrument. Beyond it the SDK
   * folds new sets into one overflow series (`otel_metric_overflow="true"`).
   * @default 5000
   */
  maxSeriesPerMetric?: number;
  /**
   * Initial value of `logpulse_high_traffic_threshold_rps` (see `setThreshold`).
   * @default 10
   */
  highTrafficThresholdRps?: number;
  /**
   * Readiness check behind `/readyz`.
   * @default a check that is ready as soon as the server listens
   */
  ready?: ReadinessCheck;
  /**
   * `service.version` resource attribute.
   * @default the version npm runs the package as (`npm_package_version`), else 'unknown'
   */
  serviceVersion?: string;
  /**
   * `host.name` resource attribute.
   * @default os.hostname()
   */
  hostName?: string;
  /**
   * Upper bound of `shutdown()`: the final OTLP push and closing the server.
   * @default 5000
   */
  shutdownTimeoutMs?: number;
}

export type ResolvedMetricsOptions = Required<Omit<ReceiverMetricsOptions, 'otlpMetricsEndpoint'>> &
  Pick<ReceiverMetricsOptions, 'otlpMetricsEndpoint'>;

const alwaysReady: ReadinessCheck = () => ({ ready: true });

/** Fills in the defaults and rejects values that cannot work, naming the option. */
export function resolveMetricsOptions(options: ReceiverMetricsOptions): ResolvedMetricsOptions {
  const resolved: ResolvedMetricsOptions = {
    metricsPort: options.metricsPort ?? 9464,
    metricsHost: options.metricsHost ?? '127.0.0.1',
    otlpMetricsEndpoint: options.otlpMetricsEndpoint === '' ? undefined : options.otlpMetricsEndpoint,
    otlpExportIntervalMs: options.otlpExportIntervalMs ?? 10_000,
    maxSectionsPerSource: options.maxSectionsPerSource ?? 50,
    maxSources: options.maxSources ?? 1000,
    maxSeriesPerMetric: options.maxSeriesPerMetric ?? 5000,
    highTrafficThresholdRps: options.highTrafficThresholdRps ?? 10,
    ready: options.ready ?? alwaysReady,
    serviceVersion: options.serviceVersion ?? process.env['npm_package_version'] ?? 'unknown',
    hostName: options.hostName ?? hostname(),
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 5000,
  };
  const { metricsPort, otlpExportIntervalMs, maxSectionsPerSource, maxSources, maxSeriesPerMetric } = resolved;
  if (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535) {
    throw new RangeError(`metricsPort: expected a port number from 0 to 65535, got ${String(metricsPort)}`);
  }
  if (!Number.isInteger(otlpExportIntervalMs) || otlpExportIntervalMs <= 0) {
    throw new RangeError(`otlpExportIntervalMs: expected a positive integer, got ${String(otlpExportIntervalMs)}`);
  }
  if (!Number.isInteger(maxSectionsPerSource) || maxSectionsPerSource < 0) {
    throw new RangeError(`maxSectionsPerSource: expected a non-negative integer, got ${String(maxSectionsPerSource)}`);
  }
  if (!Number.isInteger(maxSources) || maxSources < 1) {
    throw new RangeError(`maxSources: expected a positive integer, got ${String(maxSources)}`);
  }
  if (!Number.isInteger(maxSeriesPerMetric) || maxSeriesPerMetric < 1) {
    throw new RangeError(`maxSeriesPerMetric: expected a positive integer, got ${String(maxSeriesPerMetric)}`);
  }
  assertThreshold(resolved.highTrafficThresholdRps, 'highTrafficThresholdRps');
  return resolved;
}

export function assertThreshold(rps: number, name: string): void {
  if (!Number.isFinite(rps) || rps <= 0) {
    throw new RangeError(`${name}: expected a positive number of requests per second, got ${String(rps)}`);
  }
}
