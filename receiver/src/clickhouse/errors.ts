import { redactUrl } from '../config/redact_url.js';

/** Errors of the ClickHouse storage: each names what was being done and keeps the engine's error as `cause`. */

/** Opening the store failed: unreachable server, wrong credentials, data directory in use. */
export class StoreConnectError extends Error {
  override readonly name = 'StoreConnectError';
  /** The store as the operator configured it, never with a password. */
  readonly target: string;

  constructor(target: string, options: { cause: unknown }) {
    super(`clickhouse: connect to ${target}: ${messageOf(options.cause)}`, options);
    this.target = target;
  }
}

/** Applying clickhouse/schema.sql (or the retention change) failed. */
export class SchemaError extends Error {
  override readonly name = 'SchemaError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(`clickhouse schema: ${message}${options?.cause === undefined ? '' : `: ${messageOf(options.cause)}`}`, options);
  }
}

/** An option of the sink, the store or the query endpoint out of range; thrown before anything runs. */
export class SinkConfigError extends Error {
  override readonly name = 'SinkConfigError';
  readonly key: string;

  constructor(key: string, expected: string, got: unknown) {
    super(`clickhouse sink: ${key}: expected ${expected}, got ${redactUrl(JSON.stringify(got) ?? String(got))}`);
    this.key = key;
  }
}

/** A query of `logpulse sql`, the query endpoint or a saved query failed. */
export class QueryError extends Error {
  override readonly name = 'QueryError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(`clickhouse query: ${message}${options?.cause === undefined ? '' : `: ${messageOf(options.cause)}`}`, options);
  }
}

/**
 * A statement the read-only query path does not run (see read_query_guard.ts): anything but a
 * single read query. The message says what was refused and why.
 */
export class QueryRefusedError extends Error {
  override readonly name = 'QueryRefusedError';

  constructor(reason: string, options?: { cause?: unknown }) {
    super(`clickhouse query refused: only a single read query runs here: ${reason}`, options);
  }
}

/** An insert into ClickHouse failed (the sink retries it; this is what gets logged). */
export class InsertError extends Error {
  override readonly name = 'InsertError';

  constructor(table: string, rows: number, options: { cause: unknown }) {
    super(`clickhouse insert: ${rows} rows into ${table}: ${messageOf(options.cause)}`, options);
  }
}

/** The data directory refused a write: full, read-only, or not ours to write. */
export class DataDirError extends Error {
  override readonly name = 'DataDirError';

  constructor(doing: string, options: { cause: unknown }) {
    super(`clickhouse sink: ${doing}: the data directory refuses writes (full or read-only?): ${messageOf(options.cause)}`, options);
  }
}

/**
 * The first line of an error's message, without the client's long request dumps, and without
 * any password a URL in it carries (every store, insert and query error is built from this).
 */
export function messageOf(error: unknown): string {
  const text = redactUrl(error instanceof Error ? error.message : String(error));
  const firstLine = text.split('\n', 1)[0] ?? text;
  return firstLine.length > 500 ? `${firstLine.slice(0, 500)}…` : firstLine;
}
