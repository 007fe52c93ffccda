import { readFile } from 'node:fs/promises';
import { defaultSchemaFile } from './clickhouse_files.js';
import { SchemaError, SinkConfigError } from './errors.js';
import type { Store } from './store.js';
import { checkIdentifier } from './store_options.js';

export interface SchemaOptions {
  /** Database the schema creates (the file says `logpulse`). @default 'logpulse' */
  database?: string;
  /** Name of the events table (the file says `events`). @default 'events' */
  table?: string;
  /**
   * Rows older than this many days are dropped by the TTL. Without it the table has no TTL: one
   * left by an earlier version (which had a 365-day default) is removed. @default none
   */
  retentionDays?: number;
  /** The DDL file. @default clickhouse/schema.sql of this repository */
  schemaFile?: string;
}

// The TTL is computed on DateTime64 (`ts + INTERVAL n DAY`), which does not wrap: any bound
// would do, this one keeps the option readable (27 years).
const MAX_RETENTION_DAYS = 10_000;

/** Checks retention_days: an integer number of days, the only number ever put into the TTL text. */
export function checkRetentionDays(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_RETENTION_DAYS) {
    throw new SinkConfigError('retention_days', `an integer number of days from 1 to ${MAX_RETENTION_DAYS}`, value);
  }
  return value;
}

/**
 * The statements of a schema file: comments removed, split at `;`. The schema holds no `--` or
 * `;` inside string literals, which keeps this split exact.
 */
export function schemaStatements(text: string, database = 'logpulse', table = 'events'): string[] {
  checkIdentifier('database', database);
  checkIdentifier('table', table);
  return text
    .replace(/--[^\n]*/g, '')
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '')
    .map((statement) =>
      statement.replace(/\blogpulse\.events\b/g, `logpulse.${table}`).replace(/\blogpulse\b/g, database),
    );
}

const ADD_COLUMN = /^ALTER TABLE (\w+)\.(\w+) ADD COLUMN IF NOT EXISTS (\w+)\b/;

/**
 * True when `statement` adds a column the table already has. ClickHouse rewrites the table's
 * metadata file even for such a no-op, so running it at every start costs a write; on a full disk
 * that write leaves the file empty and the table cannot be loaded any more.
 */
async function columnExists(store: Store, statement: string): Promise<boolean> {
  const match = ADD_COLUMN.exec(statement);
  if (!match) return false;
  const [, database = '', table = '', name = ''] = match;
  const found = await store.query(
    'SELECT count() FROM system.columns WHERE database = {database:String} AND table = {table:String} AND name = {name:String}',
    { database, table, name },
    'TSV',
  );
  return found.trim() === '1';
}

/** The table's engine clause as ClickHouse reports it (TabSeparated-escaped): TTL and settings included. */
async function engineClause(store: Store, database: string, table: string): Promise<string> {
  return store.query(
    'SELECT engine_full FROM system.tables WHERE database = {database:String} AND name = {table:String}',
    { database, table },
    'TSV',
  );
}

/** What a TTL of the events table looks like in `engine_full`, and the one this version writes. */
const ANY_TTL = /\sTTL\s/;
const CURRENT_TTL = /\sTTL ts \+ toIntervalDay\((\d+)\)/;

/**
 * The TTL expression for a retention. It is computed on `ts` itself (DateTime64, whose arithmetic
 * does not wrap): earlier versions wrote `toDateTime(ts) + INTERVAL n DAY`, which overflows the
 * 32-bit DateTime for events dated within n days of 2106 and wraps to 1970, expiring them at once.
 */
export function retentionTtl(retentionDays: number): string {
  return `ts + INTERVAL ${checkRetentionDays(retentionDays)} DAY`;
}

/** The retention in days of this version's TTL in an engine clause, undefined when none or another. */
function retentionDaysOf(engine: string): number | undefined {
  const match = CURRENT_TTL.exec(engine);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** What the start-up migration did to the events table's TTL. */
export type RetentionChange = 'unchanged' | 'set' | 'removed';

/**
 * MergeTree settings of the embedded engine's events table, tuned for the receiver's import; they
 * are not in the schema file, as the compose server may not know them and a server's tables are
 * its administrator's to tune. Each is set when the engine lists it in system.merge_tree_settings
 * and the table does not have it yet. Measured on a 1M-line import into chDB (ClickHouse 26) on
 * ext4, two cores:
 * - min_level_for_wide_part = 1: an insert writes a compact part (a handful of files) instead of a
 *   wide one (about 80 files, one pair per column stream); merged parts are wide as before. The
 *   kernel's file creation was most of the import's system time.
 * - auto_statistics_types = '': ClickHouse 26 builds minmax and uniq statistics of every column,
 *   raw lines included, at each insert and merge, for the optimizer of filters this table's
 *   queries hardly use: about 0.25 s of CPU per 1M lines.
 * Both: median wall time of the import 7.12 → 6.71 s, system time 2.0 → 1.6 s (five runs each).
 */
export const EVENTS_ENGINE_SETTINGS: ReadonlyArray<{ readonly name: string; readonly value: string }> = [
  { name: 'min_level_for_wide_part', value: '1' },
  { name: 'auto_statistics_types', value: "''" },
];

/** The settings of `EVENTS_ENGINE_SETTINGS` the engine knows and the table's `engine` clause lacks. */
async function missingEngineSettings(store: Store, engine: string): Promise<string[]> {
  // Literals, not bound parameters: the names are ours, plain identifiers.
  const names = EVENTS_ENGINE_SETTINGS.map(({ name }) => `'${checkIdentifier('setting', name)}'`);
  const known = await store.query(`SELECT name FROM system.merge_tree_settings WHERE name IN (${names.join(', ')})`, {}, 'TSV');
  const knownNames = new Set(known.split('\n').filter((name) => name !== ''));
  return EVENTS_ENGINE_SETTINGS.filter(({ name }) => knownNames.has(name))
    .map(({ name, value }) => `${name} = ${value}`)
    .filter((assignment) => !engine.includes(assignment.replace(/'/g, "\\'")));
}

/**
 * Applies the schema statement by statement (each `IF NOT EXISTS`, so running it again changes
 * nothing), then makes the events TTL match `retentionDays` (set, changed, or removed when no
 * retention is configured) and, on the embedded engine, sets the storage settings of
 * `EVENTS_ENGINE_SETTINGS` the table lacks. Returns what it did to the TTL, for the log.
 */
export async function applySchema(store: Store, options: SchemaOptions = {}): Promise<RetentionChange> {
  const database = options.database ?? 'logpulse';
  const table = options.table ?? 'events';
  const retentionDays = options.retentionDays === undefined ? undefined : checkRetentionDays(options.retentionDays);
  const file = options.schemaFile ?? defaultSchemaFile();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new SchemaError(`read ${file}`, { cause: error });
  }
  for (const statement of schemaStatements(text, database, table)) {
    try {
      if (await columnExists(store, statement)) continue;
      await store.command(statement);
    } catch (error) {
      throw new SchemaError(`apply ${file} on ${store.target}: ${statement.split('\n', 1)[0]}`, { cause: error });
    }
  }
  // Read once: changing the TTL below leaves the settings in it as they were.
  let engine: string;
  let change: RetentionChange = 'unchanged';
  try {
    engine = await engineClause(store, database, table);
    if (retentionDays === undefined) {
      if (ANY_TTL.test(engine)) {
        await store.command(`ALTER TABLE ${database}.${table} REMOVE TTL`);
        change = 'removed';
      }
    } else if (retentionDaysOf(engine) !== retentionDays) {
      await store.command(`ALTER TABLE ${database}.${table} MODIFY TTL ${retentionTtl(retentionDays)}`);
      change = 'set';
    }
  } catch (error) {
    const what = retentionDays === undefined ? 'remove the TTL' : `set the retention to ${retentionDays} days`;
    throw new SchemaError(`${what} of ${database}.${table}`, { cause: error });
  }
  if (!store.embedded) return change;
  try {
    const missing = await missingEngineSettings(store, engine);
    if (missing.length > 0) await store.command(`ALTER TABLE ${database}.${table} MODIFY SETTING ${missing.join(', ')}`);
  } catch (error) {
    throw new SchemaError(`set the storage settings of ${database}.${table}`, { cause: error });
  }
  return change;
}
