import type { ClickHouseClient } from '@clickhouse/client';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bodyPath, type BodyFile } from './body_file.js';

/**
 * How the body is written: TabSeparated is parsed into the table's own column types; RowBinary
 * carries the `name Type, …` structure it was written with (the insert converts to the table's).
 */
/**
 * How a RowBinary body is laid out and read back: its fields with the types they are written as
 * (the `structure` of `file()`), and one `select` expression per column of the table, in order.
 */
export interface RowBinaryLayout {
  readonly structure: string;
  readonly select: string;
}

export type FileInsertBody =
  | { readonly format: 'TabSeparated'; readonly bytes: Buffer }
  | { readonly format: 'RowBinary'; readonly bytes: Buffer; readonly layout: RowBinaryLayout }
  | { readonly format: 'RowBinary'; readonly file: BodyFile; readonly layout: RowBinaryLayout };

/**
 * Inserts into chDB through a file under `<chdb path>/inserts/`, read back by
 * `INSERT INTO t (columns) SELECT <layout's select> FROM file({path:String}, format, {structure:String})`:
 * a body given as bytes is written there and deleted afterwards; a `BodyFile` was written there as
 * it was encoded and is deleted by its owner once stored. chDB's raw insert of the same bytes measured about 15 µs a row (200k access-log
 * events, 2 shared cores), this way about 3.5 µs: the engine's own file reader is the fast path.
 * No fsync: the checkpoint only moves once the insert is acknowledged, and after a crash the lines
 * are read again, so a lost file costs nothing.
 */
export class ChdbFileInsert {
  readonly #client: ClickHouseClient;
  readonly #dir: string;
  /** `name Type, …` of each table's columns as `file()` reads them, by `db.table|columns`. */
  readonly #structures = new Map<string, string>();
  /** Whether to purge the allocator after each insert; off once the engine refused it. */
  #purge = true;

  constructor(client: ClickHouseClient, dir: string) {
    this.#client = client;
    this.#dir = dir;
  }

  /** Creates the folder and deletes bodies a previous process left behind (killed mid-insert). */
  prepare(): void {
    mkdirSync(this.#dir, { recursive: true });
    const mine = `${process.pid}-`;
    for (const name of readdirSync(this.#dir)) {
      // chDB binds a data directory to one process, so only this process's own files can be in use.
      if (!name.startsWith(mine)) rmSync(join(this.#dir, name), { force: true, recursive: true });
    }
  }

  async insert(
    table: string,
    columns: readonly string[],
    body: FileInsertBody,
    settings: Record<string, string | number>,
    signal?: AbortSignal,
  ): Promise<void> {
    const layout = body.format === 'RowBinary' ? body.layout : { structure: await this.#structure(table, columns), select: '*' };
    if ('file' in body) {
      // Written while it was encoded; its owner deletes it once stored.
      await body.file.complete();
      await this.#insertFile(table, columns, body.file.path, body.format, layout, settings, signal);
      return;
    }
    const path = bodyPath(this.#dir, body.format === 'RowBinary' ? 'bin' : 'tsv');
    try {
      await writeFile(path, body.bytes);
      await this.#insertFile(table, columns, path, body.format, layout, settings, signal);
    } finally {
      await rm(path, { force: true });
    }
  }

  async #insertFile(
    table: string,
    columns: readonly string[],
    path: string,
    format: FileInsertBody['format'],
    layout: RowBinaryLayout,
    settings: Record<string, string | number>,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    await this.#client.command({
      query: `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${layout.select} FROM file({path:String}, '${format}', {structure:String})`,
      query_params: { path, structure: layout.structure },
      clickhouse_settings: settings,
      abort_signal: signal,
    });
    await this.#releaseMemory();
  }

  /**
   * Hands the memory the insert used back to the system. The engine's allocator keeps freed pages
   * for reuse, per thread, and inserts run on whichever libuv thread is free: left alone, a 1M-line
   * import grew to a peak RSS of 554 MB, with a purge after each insert 490 MB. A purge took 7-25 ms
   * after a 50 000-row insert of about 200 ms. The insert is stored by then: a purge that fails
   * changes nothing and is not tried again.
   */
  async #releaseMemory(): Promise<void> {
    if (!this.#purge) return;
    try {
      await this.#client.command({ query: 'SYSTEM JEMALLOC PURGE' });
    } catch {
      this.#purge = false;
    }
  }

  /**
   * The table's own column types (LowCardinality unwrapped: `file()` reads plain values), so the
   * body is parsed exactly as an insert into the table would parse it. A column the table lacks
   * is read as String and the insert itself fails with ClickHouse's error (unknown table or
   * column), which the sink knows as permanent; such a lookup is not kept, so a fixed table works.
   */
  async #structure(table: string, columns: readonly string[]): Promise<string> {
    const key = `${table}|${columns.join(',')}`;
    const known = this.#structures.get(key);
    if (known !== undefined) return known;
    const dot = table.indexOf('.');
    const database = dot < 0 ? 'default' : table.slice(0, dot);
    const name = dot < 0 ? table : table.slice(dot + 1);
    const result = await this.#client.query({
      query: 'SELECT name, type FROM system.columns WHERE database = {database:String} AND table = {table:String}',
      query_params: { database, table: name },
      format: 'JSONEachRow',
    });
    const types = new Map((await result.json<{ name: string; type: string }>()).map((c) => [c.name, plainType(c.type)]));
    const structure = columns.map((c) => `\`${c}\` ${types.get(c) ?? 'String'}`).join(', ');
    if (columns.every((c) => types.has(c))) this.#structures.set(key, structure);
    return structure;
  }
}

function plainType(type: string): string {
  const match = /^LowCardinality\((.*)\)$/.exec(type);
  return match?.[1] ?? type;
}
