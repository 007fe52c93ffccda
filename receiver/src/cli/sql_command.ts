import { Command, Option } from 'commander';
import type { OutputFormat, QueryParams } from '../clickhouse/index.js';

const FORMATS: Record<string, OutputFormat> = {
  table: 'PrettyCompactMonoBlock',
  csv: 'CSVWithNames',
  tsv: 'TSVWithNames',
  json: 'JSONEachRow',
};

function collectParam(raw: string, previous: Record<string, string>): Record<string, string> {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new Error(`--param: expected name=value, got ${JSON.stringify(raw)}`);
  return { ...previous, [raw.slice(0, eq)]: raw.slice(eq + 1) };
}

interface SqlOptions {
  query?: string;
  list?: boolean;
  param: Record<string, string>;
  format?: string;
  dataDir: string;
  clickhouseUrl?: string;
}

/** `logpulse sql`: ad-hoc or saved SQL over the stored events, through a running receiver when there is one. */
export function sqlCommand(setExitCode: (code: number) => void): Command {
  return new Command('sql')
    .description('run SQL over the stored events (through the running receiver, or on the store itself)')
    .argument('[sql]', 'the query, e.g. "SELECT count() FROM logpulse.events FINAL"')
    .addOption(new Option('--query <name>', 'run a saved query of clickhouse/queries/ instead (see --list)'))
    .addOption(new Option('--list', 'list the saved queries and their parameters'))
    .addOption(new Option('--param <name=value>', 'bind a query parameter {name:Type}; repeatable').argParser(collectParam).default({}))
    .addOption(new Option('--format <name>', 'output format (default: table on a terminal, tsv otherwise)').choices(Object.keys(FORMATS)))
    .addOption(new Option('--data-dir <dir>', 'data directory of the receiver').default('./data').env('LOGPULSE_DATA_DIR'))
    .addOption(new Option('--clickhouse-url <url>', 'query this ClickHouse server instead of the embedded store').env('LOGPULSE_CLICKHOUSE_URL'))
    .action(async (sql: string | undefined, opts: SqlOptions) => {
      // The store's modules load with the command that uses them (see main.ts).
      const { listSavedQueries, loadSavedQuery, runSql } = await import('../query/index.js');
      if (opts.list) {
        for (const q of await listSavedQueries()) {
          const params = q.params.map((p) => `${p.name}=${p.default}`).join(' ');
          process.stdout.write(`${q.name.padEnd(28)} ${q.description}${params ? `\n${''.padEnd(29)}params: ${params}` : ''}\n`);
        }
        return;
      }
      let query = sql;
      let params: QueryParams = opts.param;
      if (opts.query !== undefined) {
        if (sql !== undefined) throw new Error('sql: give either a query or --query NAME, not both');
        const saved = await loadSavedQuery(opts.query, opts.param);
        query = saved.sql;
        params = saved.values;
      }
      if (query === undefined || query.trim() === '') {
        throw new Error('sql: expected a query ("SELECT ...") or --query NAME; --list shows the saved queries');
      }
      const format = FORMATS[opts.format ?? (process.stdout.isTTY ? 'table' : 'tsv')] ?? 'TSVWithNames';
      const url = opts.clickhouseUrl === undefined || opts.clickhouseUrl === '' ? undefined : opts.clickhouseUrl;
      const output = await runSql({ dataDir: opts.dataDir, url, query, params, format });
      process.stdout.write(output.endsWith('\n') || output === '' ? output : `${output}\n`);
      setExitCode(0);
    });
}
