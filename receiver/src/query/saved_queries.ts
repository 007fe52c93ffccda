import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultQueriesDir } from '../clickhouse/clickhouse_files.js';
import { QueryError } from '../clickhouse/errors.js';

/**
 * The saved queries of clickhouse/queries/*.sql. Each file starts with
 *   -- description: what it answers
 *   -- params: from=now-30d, to=now, user=
 * and uses ClickHouse query parameters (`{from:DateTime64(3, 'UTC')}`), bound at run time, never
 * spliced. Defaults may be relative times: `now`, `now-30d`, `now-12h`, `now-15m`, `now-2w`.
 */
export interface SavedQueryParam {
  name: string;
  /** The ClickHouse type written in the query. */
  type: string;
  /** The default as written in the file ('' when none). */
  default: string;
}

export interface SavedQuery {
  name: string;
  description: string;
  sql: string;
  params: SavedQueryParam[];
  /** Every parameter's value: overrides, else defaults, relative times resolved. */
  values: Record<string, string>;
}

export interface SavedQueryOptions {
  /** @default clickhouse/queries of this repository */
  dir?: string;
  /** The time `now` means, epoch ms. @default Date.now() */
  now?: number;
}

const NAME = /^[a-z0-9_]+$/;
const RELATIVE = /^now(?:([+-])(\d+)([smhdw]))?$/;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `now-30d` and the like as the `YYYY-MM-DD hh:mm:ss.mmm` (UTC) text DateTime64 parameters take. */
export function resolveRelativeTime(value: string, now: number): string {
  const match = RELATIVE.exec(value.trim());
  if (match === null) return value;
  const [, sign, amount, unit] = match;
  const offset = sign === undefined ? 0 : Number(amount) * (UNIT_MS[unit ?? 's'] ?? 0) * (sign === '-' ? -1 : 1);
  return new Date(now + offset).toISOString().replace('T', ' ').replace('Z', '');
}

function header(text: string, key: string): string | undefined {
  const match = new RegExp(`^--\\s*${key}:\\s*(.*)$`, 'm').exec(text);
  return match?.[1]?.trim();
}

function parseParams(text: string): SavedQueryParam[] {
  const defaults = new Map<string, string>();
  for (const item of (header(text, 'params') ?? '').split(',')) {
    const [name, ...rest] = item.split('=');
    if (name !== undefined && name.trim() !== '') defaults.set(name.trim(), rest.join('=').trim());
  }
  const params = new Map<string, SavedQueryParam>();
  for (const match of text.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*):([^}]+)\}/g)) {
    const name = match[1] as string;
    if (!params.has(name)) params.set(name, { name, type: (match[2] as string).trim(), default: defaults.get(name) ?? '' });
  }
  return [...params.values()];
}

/** Names and descriptions of the saved queries, sorted by name. */
export async function listSavedQueries(options: SavedQueryOptions = {}): Promise<Array<Pick<SavedQuery, 'name' | 'description' | 'params'>>> {
  const dir = options.dir ?? defaultQueriesDir();
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(join(dir, file), 'utf8');
      return { name: file.slice(0, -4), description: header(text, 'description') ?? '', params: parseParams(text) };
    }),
  );
}

/**
 * One saved query with its parameter values: `overrides` first (relative times resolved too),
 * then the file's defaults. Unknown names and unknown parameters are errors.
 */
export async function loadSavedQuery(name: string, overrides: Record<string, string> = {}, options: SavedQueryOptions = {}): Promise<SavedQuery> {
  const dir = options.dir ?? defaultQueriesDir();
  const now = options.now ?? Date.now();
  const known = (await listSavedQueries({ dir })).map((query) => query.name);
  if (!NAME.test(name) || !known.includes(name)) {
    throw new QueryError(`no saved query "${name}" (known: ${known.join(', ')})`);
  }
  const sql = await readFile(join(dir, `${name}.sql`), 'utf8');
  const params = parseParams(sql);
  for (const key of Object.keys(overrides)) {
    if (!params.some((param) => param.name === key)) {
      throw new QueryError(`saved query ${name} has no parameter "${key}" (it takes: ${params.map((p) => p.name).join(', ')})`);
    }
  }
  const values: Record<string, string> = {};
  for (const param of params) values[param.name] = resolveRelativeTime(overrides[param.name] ?? param.default, now);
  return { name, description: header(sql, 'description') ?? '', sql, params, values };
}
