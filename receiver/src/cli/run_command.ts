import path from 'node:path';
import type { Logger } from 'pino';
import { AlertHistory, LivenessAlert, TrafficAlert } from '../alerts/index.js';
import type { AlertTransition } from '../alerts/alert_transition.js';
import type { ReceiverConfig } from '../config/index.js';
import { runDemo } from '../demo/index.js';
import { ReceiverMetrics } from '../metrics/index.js';
import type { Readiness } from '../metrics/index.js';
import { IngestMinutes } from '../pipeline/ingest_minutes.js';
import { logTelemetry } from '../pipeline/log_telemetry.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { fanOutTelemetry, noopTelemetry } from '../model/telemetry.js';
import type { ReceiverTelemetry } from '../model/telemetry.js';
import { startQueryServer } from '../query/index.js';
import { ClickHouseSink } from '../sinks/index.js';
import { ImportSummaryCollector, PeriodStats, startTerminalView } from '../ui/index.js';
import type { TerminalView } from '../ui/index.js';
import { defaultDemoOutput } from './demo_command.js';
import { createLogger } from './logger.js';
import { ReceiverSources } from './receiver_sources.js';

/** Counts invalid lines into the period stats of the terminal view. */
function statsTelemetry(stats: PeriodStats): ReceiverTelemetry {
  return {
    ...noopTelemetry,
    linesProcessed: (_source, outcome, count) => {
      if (outcome === 'invalid') stats.countInvalid(count);
    },
  };
}

/**
 * In CI the ink view would draw only its last frame, at exit (ink's own rule): there the plain
 * blocks are what a reader of the job's log wants.
 */
function inCi(env: NodeJS.ProcessEnv): boolean {
  if (env.CI === '0' || env.CI === 'false') return false;
  return 'CI' in env || 'CONTINUOUS_INTEGRATION' in env || Object.keys(env).some((key) => key.startsWith('CI_'));
}

/**
 * The first SIGINT/SIGTERM starts the clean stop; a second one exits at once, saying what is
 * lost. `on`, not `once`: ink's exit hook (signal-exit) re-raises a signal that it believes no one
 * else listens to, which killed the process (exit 130) in the middle of its clean stop.
 */
function waitForSignal(): { promise: Promise<string>; dispose: () => void } {
  let dispose = (): void => {};
  const promise = new Promise<string>((resolve) => {
    let received: string | undefined;
    const onSignal = (signal: string): void => {
      if (received === undefined) {
        received = signal;
        resolve(signal);
        return;
      }
      process.stderr.write(`logpulse: ${signal} again, exiting now: lines read since the last commit are read again at the next start\n`);
      process.exit(130);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    dispose = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
  });
  return { promise, dispose };
}

/**
 * `logpulse run`: wires sources → pipeline → (metrics, alert, period stats, ClickHouse) and runs
 * until the import is done (`--once`) or a signal arrives. Returns the exit code.
 */
export async function runReceiver(config: ReceiverConfig): Promise<number> {
  const tui = config.tui && process.stdout.isTTY === true && !inCi(process.env);
  const logger: Logger = createLogger(config.logLevel, tui ? path.join(config.dataDir, 'logpulse.log') : undefined);
  const signal = waitForSignal();
  const cleanups: Array<() => Promise<void> | void> = [];
  let view: TerminalView | undefined;
  let sources: ReceiverSources | undefined;
  let sink: ClickHouseSink | undefined;
  const readiness = (): Readiness => {
    if (!sources?.started) return { ready: false, reason: 'sources not open yet' };
    if (!sink?.storing) return { ready: false, reason: 'ClickHouse is not acknowledging inserts' };
    return { ready: true };
  };
  try {
    const metrics = await ReceiverMetrics.create({
      metricsPort: config.metricsPort,
      metricsHost: config.metricsHost,
      otlpMetricsEndpoint: config.otlpMetricsEndpoint,
      highTrafficThresholdRps: config.thresholdRps,
      ready: readiness,
    });
    const stats = new PeriodStats({ periodSeconds: config.periodSeconds, onSnapshot: (s) => view?.showPeriod(s) });
    const log = logTelemetry(logger);
    cleanups.push(() => log.flush());
    // A batch import ends with a summary of what it did.
    const summary = config.once ? new ImportSummaryCollector() : undefined;
    // Lines per source and minute, invalid ones included, for `logpulse report` (logpulse.ingest).
    const ingest = new IngestMinutes({
      write: (rows) => void sink?.writeIngest(rows).catch((error: unknown) => logger.warn({ err: String(error) }, 'line counts not stored in ClickHouse')),
    });
    const targets = [metrics.telemetry, log, statsTelemetry(stats), ingest.telemetry, ...(summary === undefined ? [] : [summary])];
    const telemetry = fanOutTelemetry(...targets);
    const retentionDays = config.retentionDays > 0 ? config.retentionDays : undefined;
    const store = new ClickHouseSink({
      url: config.clickhouseUrl === '' ? undefined : config.clickhouseUrl,
      dataDir: config.dataDir,
      batchRows: config.batchRows,
      flushIntervalMs: config.flushIntervalMs,
      migrate: config.migrate,
      retentionDays,
      // A batch import fails on an insert ClickHouse refuses for good; a live receiver keeps retrying.
      giveUpOnPermanentErrors: config.once,
      host: config.source,
      telemetry,
      logger,
    });
    sink = store;
    await store.start();
    cleanups.push(() => store.shutdown());
    // The last minutes' line counts are queued before the store's shutdown, which stores them.
    const drain = (): Promise<void> => {
      ingest.shutdown();
      return store.shutdown();
    };
    ingest.start();
    if (config.clickhouseUrl === '') {
      // chDB allows one process per data directory: `logpulse sql` asks through this endpoint meanwhile.
      const queries = await startQueryServer({ dataDir: config.dataDir });
      cleanups.push(() => queries.close());
    }

    const history = new AlertHistory({ dataDir: config.dataDir, onError: (e) => logger.warn({ err: e.message }, 'alert history') });
    await history.start();
    cleanups.push(() => history.shutdown());
    const onTransition = (t: AlertTransition): void => {
      history.record(t);
      view?.showAlert(t);
      store.writeAlert(t).catch((error: unknown) => logger.warn({ err: String(error) }, 'alert not stored in ClickHouse'));
    };
    // A batch import evaluates once everything is read, so the order of its files does not matter.
    const alert = new TrafficAlert({ thresholdRps: config.thresholdRps, windowSeconds: config.alertWindowSeconds, batch: config.once, startupGraceMs: 5000, telemetry, onTransition });

    // "Has this server stopped sending?" is a question about now: a batch import has no liveness.
    const liveness = config.once ? undefined : new LivenessAlert({ silenceMinutes: config.silenceMinutes, retiredSources: config.retiredSources, onTransition });
    const consumers = [metrics.consumer, alert, ...(liveness === undefined ? [] : [liveness]), stats, ...(summary === undefined ? [] : [summary])];
    const pipeline = new Pipeline({ sink: store, consumers, telemetry, format: config.format, retentionDays });
    const paths = [...config.paths];
    if (config.demo) {
      const format = config.format === 'sftpgo' ? 'sftpgo' : 'combined';
      const output = defaultDemoOutput(config.dataDir, format);
      const demo = runDemo({ output, format });
      cleanups.push(async () => void (await demo.stop()));
      paths.push(output);
    }
    // A batch import stores its last rows as soon as everything is read, not at the next interval.
    const flushNow = (): void => void store.flush().catch(() => {});
    const receiverSources = new ReceiverSources(config, paths, pipeline.handle, telemetry, logger, { onAllRead: flushNow, onFileForgotten: (fileId) => pipeline.release(fileId) });
    sources = receiverSources;

    await metrics.start();
    cleanups.push(() => metrics.shutdown());
    view = await startTerminalView({ noTui: !tui, progress: () => receiverSources.progress(), initialAlerts: history.recent() });
    cleanups.push(() => view?.stop());
    stats.start();
    cleanups.push(() => stats.shutdown());
    // Event time moves on with the wall clock only while the log is live: not while a backlog is read.
    const ticker = setInterval(() => {
      if (!receiverSources.catchingUp()) alert.tick();
    }, 1_000);
    ticker.unref();
    cleanups.push(() => clearInterval(ticker));
    if (liveness !== undefined) {
      liveness.start();
      cleanups.push(() => liveness.shutdown());
    }

    cleanups.push(() => receiverSources.shutdown(drain));
    await receiverSources.start();
    logger.info({ paths, dataDir: config.dataDir, store: store.target, metrics: metrics.url }, 'logpulse receiver started');
    if (config.once) {
      const refused = store.failure.then((error) => Promise.reject(error));
      refused.catch(() => {}); // observed by the race below; later it no longer matters
      await Promise.race([receiverSources.done(), signal.promise, refused]);
      alert.finish();
    } else {
      const got = await signal.promise;
      logger.info({ signal: got }, 'stopping');
    }
    // Stop reading, store what was read, then commit the offsets it acknowledged.
    await receiverSources.shutdown(drain);
    if (summary !== undefined) {
      // The last period first, so that the summary is the last thing on screen.
      stats.shutdown();
      view.showSummary(summary.snapshot(store.target ?? 'none'));
    }
    return 0;
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        logger.warn({ err: String(error) }, 'shutdown step failed');
      }
    }
    logger.flush();
    // Listening until the last step is done: a second Ctrl-C during the stop still forces the exit.
    signal.dispose();
  }
}
