import { createClient, ClickHouseLogLevel, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import type { ChdbConnection } from 'chdb/connection';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { BodyFile } from './body_file.js';
import { ChdbFileInsert, type RowBinaryLayout } from './chdb_file_insert.js';
import { QueryError, StoreConnectError } from './errors.js';
import { checkIdentifier, serverTarget, type OutputFormat, type StoreOptions } from './store_options.js';

type ClientConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;

/** Values bound to `{name:Type}` placeholders; never spliced into the SQL text. */
export type QueryParams = Record<string, string | number | boolean>;

/**
 * One ClickHouse, embedded or remote, behind `@clickhouse/client`: the same calls run on chDB
 * (through `chdb/connection`) and on a server over HTTP.
 */
export interface Store {
  /** How logs and errors name this store: `chDB at <path>` or the URL without its password. */
  readonly target: string;
  readonly embedded: boolean;
  readonly client: ClickHouseClient;
  /** Runs a statement that returns nothing (DDL). */
  command(sql: string): Promise<void>;
  /** Runs a query with bound parameters and returns its whole result in `format`. */
  query(sql: string, params: QueryParams, format: OutputFormat): Promise<string>;
  /** Runs a query with bound parameters and streams its result in `format`. */
  queryStream(sql: string, params: QueryParams, format: OutputFormat, signal?: AbortSignal): Promise<Readable>;
  /**
   * Inserts a TabSeparated body, parsed into the table's own column types. Resolves once the store
   * acknowledged it. A server gets it streamed over HTTP; chDB reads it from a file (chdb_file_insert.ts).
   */
  insertTsv(table: string, columns: readonly string[], body: Buffer, settings: Record<string, string | number>, signal?: AbortSignal): Promise<void>;
  /**
   * Inserts a RowBinary body laid out as `layout` (its fields, and how each column is read from
   * them), converted to the table's types on the way in: bytes, or a file written under `chdbInsertsDir` (left for its owner to
   * delete). Only the embedded engine takes it; a server store refuses it.
   */
  insertRowBinary(table: string, columns: readonly string[], layout: RowBinaryLayout, body: Buffer | BodyFile, settings: Record<string, string | number>, signal?: AbortSignal): Promise<void>;
  /** Whether the engine knows a setting (Debian's 18.16 predates insert_deduplication_token). */
  hasSetting(name: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Where chDB keeps its data inside the receiver's data directory. */
export function chdbPath(dataDir: string): string {
  return join(dataDir, 'clickhouse');
}

/** Where insert bodies for chDB are written (cleared of other processes' bodies at open). */
export function chdbInsertsDir(dataDir: string): string {
  return join(chdbPath(dataDir), 'inserts');
}

/**
 * Creates chDB's folder. A recursive mkdir on a read-only filesystem reports ENOENT; the data
 * directory's own access check names the real reason (EROFS, EACCES). A store that writes checks
 * its folder even when it exists: on a filesystem mounted read-only chDB only says that it
 * "failed to create connection".
 */
function makeDataDir(dataDir: string, path: string, writes: boolean): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    accessSync(dataDir, constants.W_OK);
    throw error;
  }
  if (writes) accessSync(path, constants.W_OK);
}

/** A query's text without trailing semicolons, so a FORMAT clause can follow it. */
function withFormat(sql: string, format: OutputFormat): string {
  return `${sql.trim().replace(/;+\s*$/, '')}\nFORMAT ${format}`;
}

async function collect(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

class ClientStore implements Store {
  readonly #readonly: boolean;
  /** Set on chDB: inserts go through a file (see chdb_file_insert.ts). */
  readonly #fileInsert: ChdbFileInsert | undefined;
  #closed = false;

  constructor(
    readonly target: string,
    readonly client: ClickHouseClient,
    readonly: boolean,
    readonly embedded: boolean,
    fileInsert: ChdbFileInsert | undefined,
  ) {
    this.#readonly = readonly;
    this.#fileInsert = fileInsert;
  }

  #settings(): Record<string, number> | undefined {
    return this.#readonly ? { readonly: 1 } : undefined;
  }

  async command(sql: string): Promise<void> {
    await this.client.command({ query: sql, clickhouse_settings: this.#settings() });
  }

  async query(sql: string, params: QueryParams, format: OutputFormat): Promise<string> {
    return collect(await this.queryStream(sql, params, format));
  }

  async queryStream(sql: string, params: QueryParams, format: OutputFormat, signal?: AbortSignal): Promise<Readable> {
    const result = await this.client.exec({
      query: withFormat(sql, format),
      query_params: params,
      clickhouse_settings: this.#settings(),
      abort_signal: signal,
    });
    return result.stream;
  }

  async insertTsv(table: string, columns: readonly string[], body: Buffer, settings: Record<string, string | number>, signal?: AbortSignal): Promise<void> {
    if (this.#readonly) throw new QueryError(`insert into ${table} refused: this store was opened read-only`);
    if (body.length === 0) return;
    if (this.#fileInsert !== undefined) {
      await this.#fileInsert.insert(table, columns, { format: 'TabSeparated', bytes: body }, settings, signal);
      return;
    }
    await this.client.insert({
      table,
      columns: columns as [string, ...string[]],
      values: Readable.from([body], { objectMode: false }),
      format: 'TabSeparated',
      clickhouse_settings: settings,
      abort_signal: signal,
    });
  }

  async insertRowBinary(table: string, columns: readonly string[], layout: RowBinaryLayout, body: Buffer | BodyFile, settings: Record<string, string | number>, signal?: AbortSignal): Promise<void> {
    if (this.#readonly) throw new QueryError(`insert into ${table} refused: this store was opened read-only`);
    // Servers as old as 18.16 have neither input() nor a way to convert RowBinary's types: they get TabSeparated.
    if (this.#fileInsert === undefined) throw new QueryError(`insert into ${table} refused: RowBinary bodies go to the embedded engine only`);
    if (body instanceof BodyFile) {
      await this.#fileInsert.insert(table, columns, { format: 'RowBinary', file: body, layout }, settings, signal);
      return;
    }
    if (body.length === 0) return;
    await this.#fileInsert.insert(table, columns, { format: 'RowBinary', bytes: body, layout }, settings, signal);
  }

  async hasSetting(name: string): Promise<boolean> {
    // A literal, not a bound parameter: servers before 19.x do not know query parameters. The
    // name is one of ours and a plain identifier.
    checkIdentifier('setting', name);
    const text = await this.query(`SELECT count() FROM system.settings WHERE name = '${name}'`, {}, 'TSV');
    return text.trim() === '1';
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.client.close();
  }
}

/**
 * Opens the store and checks that it answers (`SELECT 1` goes through authentication, unlike
 * `/ping`). Fails with a `StoreConnectError` naming the URL (without password) or the chDB path.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  const readonly = options.readonly ?? false;
  let store: ClientStore;
  if (options.url === undefined) {
    const path = chdbPath(options.dataDir);
    const target = `chDB at ${path}`;
    let connection: ChdbConnection;
    try {
      makeDataDir(options.dataDir, path, !readonly);
      // Loaded here, not with this module: the engine's library costs about 0.1 s to map, which
      // a store on a server, or `logpulse sql` through a running receiver, need not pay.
      const { createChdbConnection } = await import('chdb/connection');
      connection = createChdbConnection({ path });
    } catch (error) {
      throw new StoreConnectError(target, { cause: error });
    }
    // chdb ships its own copy of @clickhouse/client-common's types (1.23.0 next to the client's
    // 1.23.1): identical at run time, distinct nominal types for the compiler.
    const client = createClient({ connection: connection as unknown as ClientConnection, log: { level: ClickHouseLogLevel.OFF } });
    let fileInsert: ChdbFileInsert | undefined;
    if (!readonly) {
      fileInsert = new ChdbFileInsert(client, chdbInsertsDir(options.dataDir));
      try {
        fileInsert.prepare();
      } catch (error) {
        await client.close().catch(() => {});
        throw new StoreConnectError(target, { cause: error });
      }
    }
    store = new ClientStore(target, client, readonly, true, fileInsert);
  } else {
    const server = serverTarget(options.url, options.env);
    const client = createClient({
      url: server.url,
      username: server.username,
      password: server.password,
      request_timeout: options.requestTimeoutMs ?? 30_000,
      log: { level: ClickHouseLogLevel.OFF },
    });
    store = new ClientStore(server.display, client, readonly, false, undefined);
  }
  try {
    await store.query('SELECT 1', {}, 'TSV');
  } catch (error) {
    await store.close().catch(() => {});
    throw new StoreConnectError(store.target, { cause: error });
  }
  return store;
}
