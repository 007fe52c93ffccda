import type { Counter, Gauge, Meter, ObservableGauge } from '@opentelemetry/api';

/**
 * The receiver's instruments. Names are chosen so that the Prometheus exporter, which appends
 * `_total` to monotonic sums and no unit suffix, produces exactly the series of the contract table
 * in DESIGN.md (`logpulse_http_requests` → `logpulse_http_requests_total`).
 */
export interface Instruments {
  httpRequests: Counter;
  httpResponseBytes: Counter;
  transfers: Counter;
  transferBytes: Counter;
  lines: Counter;
  filesSkipped: Counter;
  /** Observed at each collection, which is also when EventMetrics hands its sums to the counters. */
  sourceLastEventTimestamp: ObservableGauge;
  highTrafficThreshold: Gauge;
  sinkRows: Counter;
  sinkQueueRows: Gauge;
  otlpRequests: Counter;
  otlpRecords: Counter;
  futureEvents: Counter;
  sourceErrors: Counter;
  syslogMessages: Counter;
  syslogConnections: Counter;
}

/** Instrument names, for views and tests. */
export const INSTRUMENT_NAMES = {
  httpRequests: 'logpulse_http_requests',
  httpResponseBytes: 'logpulse_http_response_bytes',
  transfers: 'logpulse_transfers',
  transferBytes: 'logpulse_transfer_bytes',
  lines: 'logpulse_lines',
  filesSkipped: 'logpulse_files_skipped',
  sourceLastEventTimestamp: 'logpulse_source_last_event_timestamp_seconds',
  highTrafficThreshold: 'logpulse_high_traffic_threshold_rps',
  sinkRows: 'logpulse_sink_rows',
  sinkQueueRows: 'logpulse_sink_queue_rows',
  otlpRequests: 'logpulse_otlp_requests',
  otlpRecords: 'logpulse_otlp_records',
  futureEvents: 'logpulse_events_future',
  sourceErrors: 'logpulse_source_errors',
  syslogMessages: 'logpulse_syslog_messages',
  syslogConnections: 'logpulse_syslog_connections',
} as const;

export function createInstruments(meter: Meter): Instruments {
  const n = INSTRUMENT_NAMES;
  return {
    httpRequests: meter.createCounter(n.httpRequests, {
      description: 'HTTP requests read from access logs, by source, section, method and status class.',
      unit: '{request}',
    }),
    httpResponseBytes: meter.createCounter(n.httpResponseBytes, {
      description: 'Bytes sent in HTTP responses, by source and section.',
      unit: 'By',
    }),
    transfers: meter.createCounter(n.transfers, {
      description: 'File transfers read from transfer logs, by source, direction and protocol.',
      unit: '{transfer}',
    }),
    transferBytes: meter.createCounter(n.transferBytes, {
      description: 'Bytes transferred, by source and direction.',
      unit: 'By',
    }),
    lines: meter.createCounter(n.lines, {
      description: 'Log lines read, by source and outcome (parsed, invalid, truncated; expired: parsed but past the retention, not stored).',
      unit: '{line}',
    }),
    filesSkipped: meter.createCounter(n.filesSkipped, {
      description: 'Files skipped whole as not a log of a known format (error logs...), by source.',
      unit: '{file}',
    }),
    sourceLastEventTimestamp: meter.createObservableGauge(n.sourceLastEventTimestamp, {
      description: 'Unix time (wall clock) at which the receiver last read an event of the source.',
      unit: 's',
    }),
    highTrafficThreshold: meter.createGauge(n.highTrafficThreshold, {
      description: 'Configured high-traffic threshold: average requests per second over the alert window.',
      unit: '{request}/s',
    }),
    sinkRows: meter.createCounter(n.sinkRows, {
      description: 'Rows handed to ClickHouse, by outcome (written, retried, failed).',
      unit: '{row}',
    }),
    sinkQueueRows: meter.createGauge(n.sinkQueueRows, {
      description: 'Rows waiting in the sink queue.',
      unit: '{row}',
    }),
    otlpRequests: meter.createCounter(n.otlpRequests, {
      description: 'OTLP/HTTP log export requests, by source and outcome (accepted, partial, unauthorized, throttled...).',
      unit: '{request}',
    }),
    otlpRecords: meter.createCounter(n.otlpRecords, {
      description: 'Log records received over OTLP/HTTP, by source and outcome (accepted, rejected).',
      unit: '{record}',
    }),
    futureEvents: meter.createCounter(n.futureEvents, {
      description: 'HTTP events stamped beyond the wall clock plus the tolerance, left out of the traffic alert, by source.',
      unit: '{event}',
    }),
    sourceErrors: meter.createCounter(n.sourceErrors, {
      description: 'Problems of the sources, by reason (unreadable: a path that cannot be read; checkpoint_evicted: a checkpoint of a long-gone file dropped).',
      unit: '{error}',
    }),
    // No source label: syslog host names are whatever an unauthenticated sender writes.
    syslogMessages: meter.createCounter(n.syslogMessages, {
      description: 'Syslog messages (datagrams or TCP frames), by transport and outcome (accepted, too_large, unparseable, dropped).',
      unit: '{message}',
    }),
    syslogConnections: meter.createCounter(n.syslogConnections, {
      description: 'TCP syslog connections, by outcome (accepted; closed as evicted, idle_timeout, framing_error).',
      unit: '{connection}',
    }),
  };
}
