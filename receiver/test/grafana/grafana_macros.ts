/**
 * What Grafana and its data source plugins do to a query's text before it reaches the engine, for
 * the queries our dashboards use. Grafana cannot run here, so the tests expand the text the same
 * way and run it on the real engines. Any `$` left unexpanded is an error: a dashboard that starts
 * using a new macro or variable fails the test until it is handled here.
 */

/** A variable's current selection: `'All'` or the selected values. */
export type Selection = 'All' | readonly string[];

export interface ClickHouseContext {
  fromMs: number;
  toMs: number;
  /** The panel's interval ($__interval) in seconds. */
  intervalSeconds: number;
  variables: Record<string, Selection>;
}

/**
 * The ClickHouse plugin (grafana-clickhouse-datasource 4.x): first its front end
 * (`applyConditionalAll`, then Grafana's template service with the plugin's formatter), then its
 * back end's macros (pkg/macros/macros.go), in that order.
 */
export function expandClickHouseSql(sql: string, ctx: ClickHouseContext): string {
  let text = applyConditionalAll(sql, ctx.variables);
  text = replaceVariables(text, ctx.variables, formatClickHouse);
  const from = Math.floor(ctx.fromMs / 1000);
  const to = Math.floor(ctx.toMs / 1000);
  const interval = Math.max(Math.floor(ctx.intervalSeconds), 1);
  text = text.replace(/\$__timeFilter\(\s*([^)]+?)\s*\)/g, (_, column: string) =>
    `${column} >= toDateTime(${from}) AND ${column} <= toDateTime(${to})`,
  );
  text = text.replace(/\$__timeInterval\(\s*([^)]+?)\s*\)/g, (_, column: string) =>
    `toStartOfInterval(toDateTime(${column}), INTERVAL ${interval} second)`,
  );
  text = text.replace(/\$__fromTime\b/g, `toDateTime(${from})`);
  text = text.replace(/\$__toTime\b/g, `toDateTime(${to})`);
  text = text.replace(/\$__interval_s\b/g, String(interval));
  assertExpanded(text, sql);
  return text;
}

export interface PrometheusContext {
  /** $__rate_interval, e.g. '4s'. */
  rateInterval: string;
  /** $__range, e.g. '1m'. */
  range: string;
  variables: Record<string, Selection>;
}

/** Grafana's Prometheus data source: regex-escaped, `|`-joined multi values; All is the allValue `.*`. */
export function expandPromQl(expr: string, ctx: PrometheusContext): string {
  let text = expr.replace(/\$__rate_interval\b/g, ctx.rateInterval).replace(/\$__range\b/g, ctx.range);
  text = replaceVariables(text, ctx.variables, (values) =>
    values === 'All' ? '.*' : values.length === 1 ? escapeRegex(values[0] ?? '') : `(${values.map(escapeRegex).join('|')})`,
  );
  assertExpanded(text, expr);
  return text;
}

/**
 * `$__conditionalAll(condition, $var)`: `1=1` when `var` is All (or empty), else `condition`.
 * Arguments may hold parentheses, as in the plugin's own argument scanner.
 */
function applyConditionalAll(sql: string, variables: Record<string, Selection>): string {
  const macro = '$__conditionalAll(';
  let text = sql;
  for (let at = text.lastIndexOf(macro); at !== -1; at = text.lastIndexOf(macro)) {
    const open = at + macro.length - 1;
    const args: string[] = [];
    let depth = 0;
    let start = open + 1;
    let end = -1;
    for (let i = open; i < text.length; i++) {
      const c = text[i];
      if (c === '(') depth++;
      else if (c === ')') depth--;
      if (c === ',' && depth === 1) {
        args.push(text.slice(start, i));
        start = i + 1;
      }
      if (depth === 0) {
        args.push(text.slice(start, i));
        end = i;
        break;
      }
    }
    const [condition, variable] = args;
    if (end === -1 || args.length !== 2 || condition === undefined || variable === undefined) {
      throw new Error(`$__conditionalAll needs 2 arguments: ${text.slice(at)}`);
    }
    const name = /\$\{?(\w+)/.exec(variable.trim())?.[1];
    const selection = name === undefined ? undefined : variables[name];
    if (selection === undefined) throw new Error(`$__conditionalAll: no value for variable ${variable.trim()}`);
    const all = selection === 'All' || selection.length === 0;
    text = text.slice(0, at) + (all ? '1=1' : condition) + text.slice(end + 1);
  }
  return text;
}

/** The ClickHouse plugin's formatter: a list becomes `'a','b'`, a single value is left as it is. */
function formatClickHouse(values: Selection): string {
  if (values === 'All') throw new Error('a ClickHouse query used an All selection outside $__conditionalAll');
  return values.length === 1 ? (values[0] ?? '') : `'${values.join("','")}'`;
}

/** Grafana's `sqlstring` format: each value quoted, quotes doubled, joined by commas. */
function formatSqlString(values: Selection): string {
  if (values === 'All') throw new Error('a ClickHouse query used an All selection outside $__conditionalAll');
  return values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',');
}

function replaceVariables(
  text: string,
  variables: Record<string, Selection>,
  defaultFormat: (values: Selection) => string,
): string {
  return text.replace(/\$\{(\w+)(?::(\w+))?\}|\$(\w+)/g, (match, braced?: string, format?: string, bare?: string) => {
    const name = braced ?? bare ?? '';
    if (name.startsWith('__')) return match;
    const selection = variables[name];
    if (selection === undefined) throw new Error(`no value for dashboard variable $${name}`);
    if (format === undefined) return defaultFormat(selection);
    if (format === 'sqlstring') return formatSqlString(selection);
    throw new Error(`variable format ${format} is not handled: ${match}`);
  });
}

function escapeRegex(value: string): string {
  return value.replace(/[\\^$*+?.()|[\]{}]/g, '\\$&');
}

function assertExpanded(text: string, original: string): void {
  const left = /\$\{?\w+/.exec(text);
  if (left !== null) throw new Error(`unexpanded ${left[0]} in: ${original}`);
}
