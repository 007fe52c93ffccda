import { createClient, ClickHouseLogLevel, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { QueryError, QueryRefusedError, messageOf } from '../clickhouse/errors.js';
import type { QueryParams, Store } from '../clickhouse/store.js';

type ClientConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;

/**
 * The one gate of the read-only query path (the endpoint, `logpulse sql` on the embedded store,
 * `logpulse sql --clickhouse-url`): only a single read query gets through.
 *
 * `readonly=1` is not enough: the embedded engine runs as clickhouse-local, where `INTO OUTFILE`
 * writes any file, several statements run one after the other and `KILL QUERY` stops the
 * receiver's own inserts. Matching strings is not enough either (comments nest in ClickHouse 26,
 * not in 18.16). So the engine's own parser decides, in three steps:
 *  1. `formatQuerySingleLine({q:String})`: the text travels as a bound value, never as SQL. The
 *     parser refuses several statements; what comes back is one statement, comments dropped.
 *  2. `EXPLAIN AST` of that canonical text (one statement, so nothing else can run), with the
 *     query's parameters bound, gives the tree walked below.
 *  3. The canonical text, not the original, is what runs: what was checked is what executes,
 *     also on a server whose older parser would read the original differently.
 */

/** Statements whose tree, once walked, can only read. */
const ROOTS: ReadonlyArray<{ node: RegExp; what: string }> = [
  { node: /^SelectWithUnionQuery\b/, what: 'SELECT' },
  { node: /^Exists(Table|Database|View|Dictionary)Query\b/, what: 'EXISTS' },
  { node: /^ShowTables\b/, what: 'SHOW TABLES' },
  { node: /^DescribeQuery\b/, what: 'DESCRIBE' },
];

/**
 * Table functions that compute rows in memory and reach nothing outside the query. Every other
 * one the engine knows (file, url, s3, remote, executable, mysql, input, loop, ...) is refused
 * wherever it appears. `format` is here for the scalar `format('{} {}', a, b)` of the same name.
 */
const ALLOWED_TABLE_FUNCTIONS = new Set(['numbers', 'numbers_mt', 'zeros', 'zeros_mt', 'values', 'generate_series', 'generateseries', 'view', 'format']);

/** ClickHouse's error code READONLY: a setting changed under readonly=1. */
const READONLY = '164';
const SETTINGS = 'a SETTINGS clause (the query path sets its own)';

/** Scalar functions that read the machine's files. */
const REFUSED_FUNCTIONS = new Set(['file']);

/** One line of `EXPLAIN AST`: its depth (one space a level) and the node's text. */
function astLines(explain: string): Array<{ depth: number; text: string }> {
  return explain
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => ({ depth: line.length - line.trimStart().length, text: line.trim() }));
}

/** Why the root of a SELECT has more than its list of selects: INTO OUTFILE, FORMAT or SETTINGS. */
function rootExtra(lines: ReadonlyArray<{ depth: number; text: string }>): string {
  const extras = lines.filter((line) => line.depth === 1).slice(1).map((line) => line.text);
  if (extras.some((text) => text.startsWith('Literal'))) return 'INTO OUTFILE writes files';
  if (extras.some((text) => text.startsWith('Identifier'))) return 'a FORMAT clause in the query (choose the output format with --format)';
  if (extras.some((text) => text.startsWith('Set'))) return SETTINGS;
  return `a clause besides the SELECT itself (${extras.join(', ')})`;
}

/** The reason a tree is refused, undefined when it only reads. */
export function refusalOf(explain: string, tableFunctions: ReadonlySet<string>): string | undefined {
  const lines = astLines(explain);
  const roots = lines.filter((line) => line.depth === 0);
  const root = roots[0];
  if (root === undefined || roots.length !== 1) return `expected one statement, got ${roots.length}`;
  const kind = ROOTS.find((known) => known.node.test(root.text));
  if (kind === undefined) return `${root.text.split(' ', 1)[0]} is not a read query (allowed: ${ROOTS.map((r) => r.what).join(', ')})`;
  if (kind.what === 'SELECT' && !/\(children 1\)$/.test(root.text)) return rootExtra(lines);
  for (const line of lines) {
    if (line.text === 'Set' || line.text.startsWith('Set ')) return SETTINGS;
    const fn = /^Function (\S+)/.exec(line.text)?.[1]?.toLowerCase();
    if (fn === undefined) continue;
    if (REFUSED_FUNCTIONS.has(fn)) return `${fn}() reads files of this machine`;
    if (tableFunctions.has(fn) && !ALLOWED_TABLE_FUNCTIONS.has(fn)) {
      return `table function ${fn}() reads or reaches outside the stored events (allowed: ${[...ALLOWED_TABLE_FUNCTIONS].filter((f) => f !== 'generateseries').join(', ')})`;
    }
  }
  return undefined;
}

/**
 * Runs `query` as written and returns its output as raw text. No FORMAT is appended: after
 * `EXPLAIN AST <query>` it would become part of the explained query; `default_format` chooses it.
 */
async function text(client: ClickHouseClient, query: string, params: QueryParams): Promise<string> {
  const result = await client.exec({ query, query_params: params, clickhouse_settings: { readonly: '1', default_format: 'TabSeparatedRaw' } });
  const chunks: Buffer[] = [];
  for await (const chunk of result.stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Checks queries on a ClickHouse 26 engine: the embedded store's own, or one in memory for a server store. */
export class ReadQueryGuard {
  readonly #parser: ClickHouseClient;
  readonly #owned: boolean;
  #tableFunctions: Promise<Set<string>> | undefined;

  private constructor(parser: ClickHouseClient, owned: boolean) {
    this.#parser = parser;
    this.#owned = owned;
  }

  /**
   * The guard for a store. A server may be as old as 18.16 (no formatQuery, no EXPLAIN): its
   * queries are parsed by an in-memory chDB, and it runs the canonical text under `readonly=1`.
   */
  static async for(store: Store): Promise<ReadQueryGuard> {
    if (store.embedded) return new ReadQueryGuard(store.client, false);
    const { createChdbConnection } = await import('chdb/connection');
    const connection = createChdbConnection({ path: ':memory:' });
    const client = createClient({ connection: connection as unknown as ClientConnection, log: { level: ClickHouseLogLevel.OFF } });
    return new ReadQueryGuard(client, true);
  }

  #knownTableFunctions(): Promise<Set<string>> {
    this.#tableFunctions ??= text(this.#parser, 'SELECT lower(name) FROM system.table_functions', {}).then(
      (names) => new Set(names.split('\n').filter((name) => name !== '')),
    );
    return this.#tableFunctions;
  }

  /**
   * The canonical text of `sql` when it is a single read query; a `QueryRefusedError` saying why
   * otherwise. Parameters are bound for the check as they will be for the run.
   */
  async check(sql: string, params: QueryParams): Promise<string> {
    let canonical: string;
    try {
      canonical = (await text(this.#parser, 'SELECT formatQuerySingleLine({q:String})', { q: sql })).trim();
    } catch (error) {
      throw new QueryRefusedError(`not one statement ClickHouse can parse: ${messageOf(error).replace(/ In scope SELECT formatQuerySingleLine\(.*$/s, '')}`, { cause: error });
    }
    let explain: string;
    try {
      explain = await text(this.#parser, `EXPLAIN AST ${canonical}`, params);
    } catch (error) {
      // A query's own SETTINGS apply to its EXPLAIN too: changing one under readonly=1 fails there.
      if ((error as { code?: unknown }).code === READONLY) throw new QueryRefusedError(SETTINGS, { cause: error });
      throw new QueryError('check', { cause: error });
    }
    const refusal = refusalOf(explain, await this.#knownTableFunctions());
    if (refusal !== undefined) throw new QueryRefusedError(refusal);
    return canonical;
  }

  async close(): Promise<void> {
    if (this.#owned) await this.#parser.close();
  }
}
