import type { Logger } from 'pino';
import type { LineOutcome, OtlpRequestOutcome, ReceiverTelemetry, SinkOutcome, SyslogConnectionOutcome, SyslogMessageOutcome } from '../model/telemetry.js';

/**
 * The receiver's own log as a telemetry target. Bad lines are sampled at a bounded rate, never
 * once per line: at most one sample per reason per interval, and once per interval a line saying
 * what was left out since (`12 invalid lines since last sample: truncated line: 10, ...`). Lines
 * past the retention get one notice per interval with their number.
 */
export interface LogTelemetryOptions {
  /** At most one sample per reason, and one summary of the rest, per this many milliseconds. @default 60000 */
  sampleIntervalMs?: number;
  /** Reasons sampled on their own; later ones are sampled and counted together as `other reasons`. @default 50 */
  maxReasons?: number;
  /** At most one "rows could not be stored" line per this many milliseconds. @default 5000 */
  failureLogIntervalMs?: number;
  now?: () => number;
}

export interface LogTelemetry extends ReceiverTelemetry {
  /** Logs what is left out since the last sample and notice, at shutdown. */
  flush(): void;
}

export const OTHER_REASONS = 'other reasons';

export function logTelemetry(logger: Logger, options: LogTelemetryOptions = {}): LogTelemetry {
  const interval = options.sampleIntervalMs ?? 60_000;
  const maxReasons = options.maxReasons ?? 50;
  const failureInterval = options.failureLogIntervalMs ?? 5_000;
  const now = options.now ?? Date.now;
  // Both maps are keyed by reason, at most maxReasons + 1 keys.
  const lastSample = new Map<string, number>();
  const leftOut = new Map<string, number>();
  let leftOutTotal = 0;
  let lastSummary = now();
  let expired = 0;
  let lastExpiredNotice = -Infinity;
  let lastFailureLog = -Infinity;
  let lastRefusalLog = -Infinity;
  let refusedSinceLast = 0;
  // Syslog refusals by outcome since the last notice: a handful of keys, one notice per interval.
  const syslogRefused = new Map<string, number>();
  let lastSyslogNotice = -Infinity;
  const noticeSyslog = (force: boolean): void => {
    const t = now();
    if (syslogRefused.size === 0 || (!force && t - lastSyslogNotice < interval)) return;
    lastSyslogNotice = t;
    const counts = Object.fromEntries(syslogRefused);
    const text = [...syslogRefused].map(([what, n]) => `${what}: ${n}`).join(', ');
    logger.warn({ refused: counts }, `syslog input refused since last notice: ${text}`);
    syslogRefused.clear();
  };
  const countSyslog = (what: string, count: number): void => {
    syslogRefused.set(what, (syslogRefused.get(what) ?? 0) + count);
    noticeSyslog(false);
  };

  const summarize = (): void => {
    if (leftOutTotal === 0) return;
    const reasons = [...leftOut].filter(([, n]) => n > 0);
    const text = reasons.map(([reason, n]) => `${reason}: ${n}`).join(', ');
    logger.warn({ skipped: leftOutTotal, reasons: Object.fromEntries(reasons) }, `${leftOutTotal} invalid lines since last sample: ${text}`);
    leftOut.clear();
    leftOutTotal = 0;
  };
  const summarizeWhenDue = (t: number): void => {
    if (t - lastSummary < interval) return;
    lastSummary = t;
    summarize();
  };
  const noticeExpired = (): void => {
    if (expired === 0) return;
    logger.warn({ lines: expired }, `${expired} lines dated before the retention (--retention-days) were not stored`);
    expired = 0;
  };
  // Lines from the future, per source: last warning and how many since.
  const lastFuture = new Map<string, number>();
  const futureSince = new Map<string, number>();

  return {
    linesRead() {},
    linesProcessed(_source: string, outcome: LineOutcome, count: number) {
      const t = now();
      if (outcome === 'expired') {
        expired += count;
        if (t - lastExpiredNotice >= interval) {
          lastExpiredNotice = t;
          noticeExpired();
        }
      }
      summarizeWhenDue(t);
    },
    invalidLine(source, file, offset, reason, text) {
      const t = now();
      const key = lastSample.has(reason) || lastSample.size < maxReasons ? reason : OTHER_REASONS;
      const last = lastSample.get(key);
      if (last === undefined || t - last >= interval) {
        lastSample.set(key, t);
        logger.warn({ source, file, offset, reason, line: text.slice(0, 300) }, 'invalid line skipped');
      } else {
        leftOut.set(key, (leftOut.get(key) ?? 0) + 1);
        leftOutTotal++;
      }
      summarizeWhenDue(t);
    },
    fileSkipped(source, file, reason) {
      // Once per file (the pipeline sees to it), so never more often than files appear.
      logger.warn({ source, file, reason }, `file skipped: ${file} (${reason})`);
    },
    sinkRows(outcome: SinkOutcome, count: number) {
      if (outcome !== 'failed') return;
      const t = now();
      if (t - lastFailureLog < failureInterval) return;
      lastFailureLog = t;
      logger.error({ rows: count }, 'rows could not be stored');
    },
    sinkQueueRows() {},
    flush() {
      summarize();
      noticeExpired();
      noticeSyslog(true);
    },
    // Refused exports are sampled like bad lines: a client retrying with a wrong token must not
    // flood the log. The token itself is never known here.
    otlpRequest(source: string, outcome: OtlpRequestOutcome) {
      if (outcome !== 'unauthorized' && outcome !== 'forbidden') return;
      const t = now();
      if (t - lastRefusalLog < interval) {
        refusedSinceLast++;
        return;
      }
      lastRefusalLog = t;
      logger.warn({ source, outcome, refusedSinceLast }, 'OTLP export refused');
      refusedSinceLast = 0;
    },
    otlpRecords() {},
    futureEvents(source, count) {
      // One warning per source and interval, with how many came since the last one.
      const seen = (futureSince.get(source) ?? 0) + count;
      const t = now();
      const last = lastFuture.get(source);
      if (last !== undefined && t - last < interval) {
        futureSince.set(source, seen);
        return;
      }
      lastFuture.set(source, t);
      futureSince.set(source, 0);
      logger.warn({ source, events: seen }, 'events stamped in the future left out of the traffic alert');
    },
    // One line, no stack: the path and the reason are all an operator needs.
    pathUnreadable(path: string, reason: string) {
      logger.warn({ path, reason }, `cannot read ${path}: ${reason}`);
    },
    checkpointsEvicted(count: number, oldestLastSeenMs: number) {
      logger.warn({ count, oldestLastSeen: new Date(oldestLastSeenMs).toISOString() }, 'checkpoints of long-gone files dropped (checkpoint_max_gone_files reached)');
    },
    syslogMessages(transport, outcome: SyslogMessageOutcome, count: number) {
      if (outcome !== 'accepted' && count > 0) countSyslog(`${transport} messages ${outcome}`, count);
    },
    syslogConnection(outcome: SyslogConnectionOutcome) {
      if (outcome !== 'accepted') countSyslog(`connections ${outcome}`, 1);
    },
  };
}
