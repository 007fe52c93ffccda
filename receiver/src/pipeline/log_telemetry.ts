import type { Logger } from 'pino';
import type { LineOutcome, ReceiverTelemetry, SinkOutcome } from './telemetry.js';

/**
 * The receiver's own log as a telemetry target: bad lines are sampled at a bounded rate (never
 * once per line), with the number left out since the last sample.
 */
export interface LogTelemetryOptions {
  /** At most one invalid-line sample per source in this many milliseconds. @default 5000 */
  sampleIntervalMs?: number;
  now?: () => number;
}

export function logTelemetry(logger: Logger, options: LogTelemetryOptions = {}): ReceiverTelemetry {
  const interval = options.sampleIntervalMs ?? 5_000;
  const now = options.now ?? Date.now;
  const lastSample = new Map<string, number>();
  const suppressed = new Map<string, number>();
  let lastFailureLog = 0;
  return {
    linesProcessed(_source: string, _outcome: LineOutcome, _count: number) {},
    invalidLine(source, file, offset, reason, text) {
      const t = now();
      const last = lastSample.get(source);
      if (last !== undefined && t - last < interval) {
        suppressed.set(source, (suppressed.get(source) ?? 0) + 1);
        return;
      }
      lastSample.set(source, t);
      const skippedSinceLast = suppressed.get(source) ?? 0;
      suppressed.set(source, 0);
      logger.warn({ source, file, offset, reason, line: text.slice(0, 300), skippedSinceLast }, 'invalid line skipped');
    },
    sinkRows(outcome: SinkOutcome, count: number) {
      if (outcome !== 'failed') return;
      const t = now();
      if (t - lastFailureLog < interval) return;
      lastFailureLog = t;
      logger.error({ rows: count }, 'rows could not be stored');
    },
    sinkQueueRows() {},
    // One line, no stack: the path and the reason are all an operator needs.
    pathUnreadable(path: string, reason: string) {
      logger.warn({ path, reason }, `cannot read ${path}: ${reason}`);
    },
    checkpointsEvicted(count: number, oldestLastSeenMs: number) {
      logger.warn({ count, oldestLastSeen: new Date(oldestLastSeenMs).toISOString() }, 'checkpoints of long-gone files dropped (checkpoint_max_gone_files reached)');
    },
  };
}
