import type { Logger } from 'pino';
import { FileSource } from '../sources/file/file_source.js';
import { OtlpHttpExporter } from './otlp_http_exporter.js';
import { ShipHandler } from './ship_handler.js';
import type { ShipMetrics } from './ship_metrics.js';
import type { ResolvedShipOptions } from './ship_options.js';
import { ShipStats } from './ship_stats.js';
import { StatusLine } from './ship_status.js';

/** How long a stop waits for requests in flight before leaving them to the next start. */
const DRAIN_TIMEOUT_MS = 5_000;

/**
 * `logpulse ship`: the receiver's file source (tailing, fingerprints, rotation, checkpoints in the
 * agent's own data dir) feeding a ShipHandler instead of a pipeline. No parser, no ClickHouse
 * engine, no terminal UI is loaded: the agent's memory is the file source's, a few requests in
 * flight, and its metrics.
 */
export class ShipAgent {
  readonly stats: ShipStats;
  private readonly exporter: OtlpHttpExporter;
  private readonly handler: ShipHandler;
  private readonly source: FileSource;
  private metrics: ShipMetrics | undefined;
  private status: StatusLine | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly options: ResolvedShipOptions,
    private readonly logger: Logger,
  ) {
    const o = options;
    this.stats = new ShipStats((error, delayMs, first) => {
      // One line when sending starts to fail, not one per attempt; the status line and /metrics show the rest.
      if (first) logger.warn({ endpoint: o.url.origin, retryInMs: delayMs }, `${error.message}; retrying until the receiver stores the lines`);
    });
    this.exporter = new OtlpHttpExporter({ url: o.url, token: o.token, timeoutMs: o.requestTimeoutMs });
    this.handler = new ShipHandler({
      source: o.source,
      exporter: this.exporter,
      retry: { initialMs: o.retryInitialMs, maxMs: o.retryMaxMs, maxRetryAfterMs: o.maxRetryAfterMs },
      maxInFlight: o.maxInFlight,
      events: this.stats,
    });
    this.source = new FileSource(
      {
        paths: o.paths,
        source: o.source,
        dataDir: o.dataDir,
        startAt: o.startAt,
        maxBatchLines: o.batchLines,
        pollIntervalMs: o.pollIntervalMs,
        logger,
      },
      this.handler.handle,
    );
  }

  /**
   * Bytes present in the followed files that the receiver has not stored yet: each open file's
   * size past its acknowledged offset (finished files are forgotten only once acknowledged).
   */
  lagBytes(): number {
    let files;
    try {
      files = this.source.files.openFiles();
    } catch {
      return 0; // not started
    }
    let lag = 0;
    for (const file of files) {
      const acked = this.source.committer.store.get(file.fileId)?.offset ?? 0;
      lag += Math.max(0, Math.max(file.size, file.tailer.position) - acked);
    }
    return lag;
  }

  async start(): Promise<void> {
    const o = this.options;
    const figures = { stats: this.stats, lagBytes: () => this.lagBytes(), inFlight: () => this.handler.inFlight };
    if (o.metricsPort >= 0) {
      // Loaded only when asked for: the OpenTelemetry SDK is about 10 MB of the agent's memory.
      const { ShipMetrics } = await import('./ship_metrics.js');
      this.metrics = await ShipMetrics.create({ port: o.metricsPort, host: o.metricsHost, source: o.source, ...figures, ready: () => this.stats.failingSince === undefined });
    }
    await this.source.start();
    const tty = process.stderr.isTTY === true;
    if (o.status === 'on' || (o.status === 'auto' && tty)) {
      this.status = new StatusLine(figures, process.stderr);
      this.status.start();
    }
    this.logger.info({ endpoint: o.url.href, paths: o.paths, source: o.source, dataDir: this.source.options.dataDir, metricsPort: this.metrics?.port }, 'logpulse ship started');
  }

  /** Stops reading, waits briefly for requests in flight, saves the acknowledged checkpoints. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.source.shutdown(() => this.handler.drain(DRAIN_TIMEOUT_MS));
      this.exporter.close();
      this.status?.stop();
      await this.metrics?.shutdown();
      this.logger.info({ lines: this.stats.lines, lagBytes: this.lagBytes() }, 'logpulse ship stopped');
    })();
    return this.stopping;
  }
}
