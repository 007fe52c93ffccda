import { hostname } from 'node:os';
import pino from 'pino';
import { noopTelemetry, type ReceiverTelemetry } from '../model/telemetry.js';
import { SinkConfigError } from '../clickhouse/errors.js';
import type { SinkLogger } from './retry_policy.js';
import { checkRetentionDays } from '../clickhouse/schema.js';
import { checkIdentifier, serverTarget, type StoreOptions } from '../clickhouse/store_options.js';

export interface ClickHouseSinkOptions extends StoreOptions {
  /** @default 'logpulse' */
  database?: string;
  /** Table the events are inserted into (needs the columns of `logpulse.events`). @default 'events' */
  table?: string;
  /** Table alert transitions are inserted into. @default 'alerts' */
  alertsTable?: string;
  /** Rows per insert. @default 50000 */
  batchRows?: number;
  /**
   * Bytes of insert body per insert at most: a batch is sealed at `batchRows` rows or this size,
   * whichever comes first. Bodies wait on the data disk (embedded engine) or in memory (server).
   * @default 16 MiB
   */
  batchBytes?: number;
  /** `write()` waits while insert bodies of this many bytes wait for their insert. @default 2 * batchBytes */
  maxQueueBytes?: number;
  /** The dead-letter file is rotated when it would pass this size (one older file is kept). @default 64 MiB */
  deadLetterMaxBytes?: number;
  /**
   * With `giveUpOnPermanentErrors`, how long a data disk that refuses writes (full, read-only) is
   * waited for before the import gives up. @default 10000
   */
  giveUpAfterMs?: number;
  /** A partial batch is sent once its oldest row waited this long. @default 1000 */
  flushIntervalMs?: number;
  /**
   * `write()` resolves only while fewer rows than this are unacknowledged (backpressure). Two
   * batches' worth lets one batch fill while the previous one is inserted; more only adds memory.
   * @default 2 * batchRows
   */
  maxQueueRows?: number;
  /** First retry delay ceiling; doubles per attempt, with full jitter. @default 200 */
  retryInitialMs?: number;
  /** Largest retry delay ceiling. Retries never stop while the sink runs. @default 30000 */
  retryMaxMs?: number;
  /** At most one log line about failing inserts per this many milliseconds. @default 5000 */
  failureLogIntervalMs?: number;
  /** Apply clickhouse/schema.sql at start (`--no-migrate` sets false). @default true */
  migrate?: boolean;
  /**
   * Events TTL in days, applied at start when migrating; without it the table keeps all history
   * (a TTL left by an earlier version is removed). @default none
   */
  retentionDays?: number;
  /** The DDL file. @default clickhouse/schema.sql of this repository */
  schemaFile?: string;
  /**
   * Give up when the store refuses every insert (unknown table or columns, credentials refused) or
   * the data disk refuses writes for `giveUpAfterMs`, instead of retrying: `failure` then resolves
   * with the reason. A batch import wants this; a live receiver retries, so that a fixed table or
   * freed space resumes it. Rows refused one by one are dead-lettered either way. @default false
   */
  giveUpOnPermanentErrors?: boolean;
  /** How long `shutdown()` may spend flushing. @default 10000 */
  shutdownTimeoutMs?: number;
  /** Receiver host written with each alert transition. @default os.hostname() */
  host?: string;
  /** @default noopTelemetry */
  telemetry?: ReceiverTelemetry;
  /** @default a pino logger writing to stderr */
  logger?: SinkLogger;
}

export type ResolvedSinkOptions = Required<Omit<ClickHouseSinkOptions, 'url' | 'schemaFile' | 'env' | 'readonly' | 'requestTimeoutMs' | 'retentionDays'>> &
  Pick<ClickHouseSinkOptions, 'url' | 'schemaFile' | 'env' | 'requestTimeoutMs' | 'retentionDays'>;

function positiveInteger(key: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new SinkConfigError(key, 'a positive integer', value);
  return value;
}

/** Fills in defaults and checks every option; throws `SinkConfigError` naming the option. */
export function resolveSinkOptions(options: ClickHouseSinkOptions): ResolvedSinkOptions {
  const batchRows = positiveInteger('batch_rows', options.batchRows ?? 50_000);
  const batchBytes = positiveInteger('batch_bytes', options.batchBytes ?? 16 * 1024 * 1024);
  const resolved: ResolvedSinkOptions = {
    url: options.url,
    dataDir: options.dataDir,
    env: options.env,
    requestTimeoutMs: options.requestTimeoutMs,
    schemaFile: options.schemaFile,
    database: checkIdentifier('database', options.database ?? 'logpulse'),
    table: checkIdentifier('table', options.table ?? 'events'),
    alertsTable: checkIdentifier('alerts_table', options.alertsTable ?? 'alerts'),
    batchRows,
    batchBytes,
    maxQueueBytes: positiveInteger('max_queue_bytes', options.maxQueueBytes ?? 2 * batchBytes),
    deadLetterMaxBytes: positiveInteger('dead_letter_max_bytes', options.deadLetterMaxBytes ?? 64 * 1024 * 1024),
    giveUpAfterMs: positiveInteger('give_up_after_ms', options.giveUpAfterMs ?? 10_000),
    flushIntervalMs: positiveInteger('flush_interval_ms', options.flushIntervalMs ?? 1_000),
    maxQueueRows: positiveInteger('max_queue_rows', options.maxQueueRows ?? 2 * batchRows),
    retryInitialMs: positiveInteger('retry_initial_ms', options.retryInitialMs ?? 200),
    retryMaxMs: positiveInteger('retry_max_ms', options.retryMaxMs ?? 30_000),
    failureLogIntervalMs: positiveInteger('failure_log_interval_ms', options.failureLogIntervalMs ?? 5_000),
    migrate: options.migrate ?? true,
    giveUpOnPermanentErrors: options.giveUpOnPermanentErrors ?? false,
    retentionDays: options.retentionDays === undefined ? undefined : checkRetentionDays(options.retentionDays),
    shutdownTimeoutMs: positiveInteger('shutdown_timeout_ms', options.shutdownTimeoutMs ?? 10_000),
    host: options.host ?? hostname(),
    telemetry: options.telemetry ?? noopTelemetry,
    logger: options.logger ?? pino({ name: 'clickhouse-sink' }, pino.destination(2)),
  };
  if (resolved.retryMaxMs < resolved.retryInitialMs) {
    throw new SinkConfigError('retry_max_ms', `at least retry_initial_ms (${resolved.retryInitialMs})`, resolved.retryMaxMs);
  }
  if (resolved.maxQueueBytes < resolved.batchBytes) {
    throw new SinkConfigError('max_queue_bytes', `at least batch_bytes (${resolved.batchBytes})`, resolved.maxQueueBytes);
  }
  if (resolved.url !== undefined) serverTarget(resolved.url, resolved.env);
  if (resolved.url === undefined && (typeof resolved.dataDir !== 'string' || resolved.dataDir === '')) {
    throw new SinkConfigError('data_dir', 'a directory for the embedded ClickHouse', resolved.dataDir);
  }
  return resolved;
}
