import os from 'node:os';

/**
 * Every option of `logpulse run`, in one table: its config-file key (snake_case), command-line
 * flag, environment variable, default, and how a raw value is read. Defaults < config file <
 * environment < flags.
 */

export type OptionKind = 'string' | 'paths' | 'list' | 'boolean' | 'integer' | 'positive' | 'duration' | 'minutes' | 'port' | 'enum';

export interface OptionSpec {
  /** Config-file key, snake_case. */
  key: string;
  /** Long flag as commander declares it, without value placeholder. */
  flag: string;
  kind: OptionKind;
  /** What a valid value is, for error messages: "expected <expect>, got ...". */
  expect: string;
  description: string;
  default: unknown;
  choices?: readonly string[];
  /** Minimum for integers, inclusive. */
  min?: number;
  max?: number;
  /** Value of a flag given without one (`--otlp-port` alone, or `otlp_port: true`). */
  whenFlagAlone?: unknown;
}

export const LOG_FORMAT_CHOICES = ['auto', 'clf', 'combined', 'w3c', 'csv', 'sftpgo'] as const;
export const START_AT_CHOICES = ['beginning', 'end'] as const;
export const LOG_LEVEL_CHOICES = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const OPTION_SPECS: readonly OptionSpec[] = [
  { key: 'paths', flag: '--path', kind: 'paths', expect: 'file, directory or glob paths', description: 'files, directories or globs to follow (also given as arguments; "-" reads stdin)', default: [] },
  { key: 'format', flag: '--format', kind: 'enum', choices: LOG_FORMAT_CHOICES, expect: `one of ${LOG_FORMAT_CHOICES.join(', ')}`, description: 'log format; auto detects it per file from its first lines', default: 'auto' },
  { key: 'source', flag: '--source', kind: 'string', expect: 'a non-empty source name', description: 'source name (host) recorded with every event', default: os.hostname() },
  { key: 'data_dir', flag: '--data-dir', kind: 'string', expect: 'a directory path', description: 'where checkpoints, the embedded ClickHouse store and the alert history live', default: './data' },
  { key: 'once', flag: '--once', kind: 'boolean', expect: 'true or false', description: 'read everything present, store it, commit offsets and exit', default: false },
  { key: 'start_at', flag: '--start-at', kind: 'enum', choices: START_AT_CHOICES, expect: 'beginning or end', description: 'where to start in files never seen before', default: 'beginning' },
  { key: 'max_line_bytes', flag: '--max-line-bytes', kind: 'integer', min: 256, max: 16 * 1024 * 1024, expect: 'a whole number of bytes from 256 to 16777216', description: 'longer lines are truncated and counted', default: 65_536 },
  { key: 'checkpoint_max_gone_files', flag: '--checkpoint-max-gone-files', kind: 'integer', min: 1, max: 100_000_000, expect: 'a whole number of files from 1 to 100000000', description: 'checkpoints kept of files gone from every watched path (open and present files never count); the longest gone are dropped first, logged and counted', default: 100_000 },
  { key: 'period_seconds', flag: '--period', kind: 'duration', min: 1, expect: 'a positive number of seconds (or a duration like 30s, 1m)', description: 'seconds between two stats blocks of the terminal view', default: 10 },
  { key: 'threshold_rps', flag: '--threshold', kind: 'positive', expect: 'a positive number of requests per second', description: 'high-traffic alert threshold, average requests per second', default: 10 },
  { key: 'alert_window_seconds', flag: '--alert-window', kind: 'duration', min: 1, expect: 'a positive number of seconds (or a duration like 90s, 2m)', description: 'window over which the average traffic is taken', default: 120 },
  { key: 'silence_minutes', flag: '--silence-minutes', kind: 'minutes', expect: 'a positive number of minutes (or a duration like 30s, 2m)', description: 'a source from which no line arrived for this long is declared silent (live mode only)', default: 5 },
  { key: 'retired_sources', flag: '--retired-sources', kind: 'list', expect: 'source names (a list, or separated by commas)', description: 'sources no longer alerted on when silent', default: [] },
  { key: 'tui', flag: '--tui', kind: 'boolean', expect: 'true or false', description: 'redraw the terminal view in place (--no-tui prints plain blocks); off when stdout is not a TTY', default: true },
  { key: 'demo', flag: '--demo', kind: 'boolean', expect: 'true or false', description: 'also run the demo generator and follow its log', default: false },
  { key: 'clickhouse_url', flag: '--clickhouse-url', kind: 'string', expect: 'an http(s):// URL of a ClickHouse server', description: 'store events in this ClickHouse server instead of the embedded engine', default: '' },
  { key: 'batch_rows', flag: '--batch-rows', kind: 'integer', min: 1, max: 10_000_000, expect: 'a whole number of rows from 1 to 10000000', description: 'rows per ClickHouse insert at most', default: 50_000 },
  { key: 'flush_interval_ms', flag: '--flush-interval-ms', kind: 'integer', min: 10, max: 600_000, expect: 'a whole number of milliseconds from 10 to 600000', description: 'oldest row waits at most this long before an insert', default: 1_000 },
  { key: 'retention_days', flag: '--retention-days', kind: 'integer', min: 0, max: 10_000, expect: 'a whole number of days from 1 to 10000, or 0 to keep all history', description: 'events older than this many days are not stored and expire from the table (0: keep all history)', default: 0 },
  { key: 'migrate', flag: '--migrate', kind: 'boolean', expect: 'true or false', description: 'apply clickhouse/schema.sql at start-up (--no-migrate for a schema managed elsewhere)', default: true },
  { key: 'metrics_port', flag: '--metrics-port', kind: 'port', expect: 'a TCP port from 0 to 65535 (0 picks a free one)', description: 'port of /metrics, /healthz and /readyz', default: 9464 },
  { key: 'metrics_host', flag: '--metrics-host', kind: 'string', expect: 'a host address to listen on', description: 'address /metrics listens on (0.0.0.0 to let Prometheus scrape from elsewhere)', default: '127.0.0.1' },
  { key: 'otlp_metrics_endpoint', flag: '--otlp-metrics-endpoint', kind: 'string', expect: 'an http(s):// URL of an OTLP/HTTP metrics endpoint', description: 'also push metrics over OTLP/HTTP to this endpoint', default: '' },
  { key: 'otlp_port', flag: '--otlp-port', kind: 'port', whenFlagAlone: 4318, expect: 'a TCP port from 0 to 65535 (0 picks a free one)', description: 'port of the OTLP/HTTP logs endpoint POST /v1/logs (alone: 4318); off when not given', default: -1 },
  { key: 'otlp_host', flag: '--otlp-host', kind: 'string', expect: 'a host address to listen on', description: 'address the OTLP/HTTP logs endpoint listens on; other than loopback it needs ingest tokens', default: '127.0.0.1' },
  { key: 'ingest_token', flag: '--ingest-token', kind: 'string', expect: 'a bearer token', description: 'bearer token the OTLP/HTTP endpoint requires (writes any source); better given as LOGPULSE_INGEST_TOKEN', default: '' },
  { key: 'ingest_tokens_file', flag: '--ingest-tokens-file', kind: 'string', expect: 'a file path', description: 'file of "source token" lines: each token writes only its own source', default: '' },
  { key: 'otlp_max_body_bytes', flag: '--otlp-max-body-bytes', kind: 'integer', min: 1024, max: 1024 * 1024 * 1024, expect: 'a whole number of bytes from 1024 to 1073741824', description: 'largest OTLP request body, compressed and decompressed', default: 20 * 1024 * 1024 },
  { key: 'syslog_udp', flag: '--syslog-udp', kind: 'string', expect: 'host:port (port 0 picks a free one)', description: 'listen for syslog (RFC 3164 and 5424) over UDP on host:port; off when empty', default: '' },
  { key: 'syslog_tcp', flag: '--syslog-tcp', kind: 'string', expect: 'host:port (port 0 picks a free one)', description: 'listen for syslog over TCP (LF or octet-counted framing) on host:port; off when empty', default: '' },
  { key: 'syslog_max_message_bytes', flag: '--syslog-max-message-bytes', kind: 'integer', min: 480, max: 16 * 1024 * 1024, expect: 'a whole number of bytes from 480 to 16777216', description: 'larger syslog messages are refused and counted too_large', default: 65_536 },
  { key: 'syslog_max_connections', flag: '--syslog-max-connections', kind: 'integer', min: 1, max: 100_000, expect: 'a whole number of connections from 1 to 100000', description: 'TCP syslog connections held at once; past it the idlest one is closed', default: 256 },
  { key: 'log_level', flag: '--log-level', kind: 'enum', choices: LOG_LEVEL_CHOICES, expect: `one of ${LOG_LEVEL_CHOICES.join(', ')}`, description: "level of the receiver's own log", default: 'info' },
];

/** LOGPULSE_THRESHOLD_RPS for threshold_rps, and so on. */
export function envName(key: string): string {
  return `LOGPULSE_${key.toUpperCase()}`;
}
