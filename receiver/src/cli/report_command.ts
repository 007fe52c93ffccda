import { Command, Option } from 'commander';
import { REPORT_FORMATS } from '../report/report_format.js';
import type { ReportFormat } from '../report/report_format.js';
import type { ReportBucket } from '../report/report_query.js';

interface ReportOptions {
  since: string;
  until?: string;
  by: ReportBucket;
  format: ReportFormat;
  dataDir: string;
  clickhouseUrl?: string;
}

/**
 * `logpulse report`: per source and hour (or day), lines, events, bytes, invalid lines, silent
 * periods and alerts, read through the same read-only query path as `logpulse sql`, so that it
 * works while a receiver runs.
 */
export function reportCommand(setExitCode: (code: number) => void): Command {
  return new Command('report')
    .description('lines, events, bytes, invalid lines, silent periods and alerts per source and hour (or day)')
    .addOption(new Option('--since <span>', 'how far back from --until: 90m, 1h, 7d').default('1h'))
    .addOption(new Option('--until <time>', 'end of the report, ISO-8601 (default: now)'))
    .addOption(new Option('--by <bucket>', 'one row per source and').choices(['hour', 'day']).default('hour'))
    .addOption(new Option('--format <name>', 'table for a terminal, csv, json, or html to mail').choices([...REPORT_FORMATS]).default('table'))
    .addOption(new Option('--data-dir <dir>', 'data directory of the receiver').default('./data').env('LOGPULSE_DATA_DIR'))
    .addOption(new Option('--clickhouse-url <url>', 'query this ClickHouse server instead of the embedded store').env('LOGPULSE_CLICKHOUSE_URL'))
    .action(async (opts: ReportOptions) => {
      const { reportWindow } = await import('../report/report_options.js');
      const window = reportWindow(opts.since, opts.until, opts.by, Date.now());
      // The store's modules load with the command that uses them (see main.ts).
      const { runSql } = await import('../query/index.js');
      const { parseReportRows, reportQuery } = await import('../report/report_query.js');
      const { formatReport } = await import('../report/report_format.js');
      const { sql, params } = reportQuery(window);
      const url = opts.clickhouseUrl === undefined || opts.clickhouseUrl === '' ? undefined : opts.clickhouseUrl;
      const answer = await runSql({ dataDir: opts.dataDir, url, query: sql, params, format: 'JSONEachRow' });
      process.stdout.write(formatReport(parseReportRows(answer), window, opts.format));
      setExitCode(0);
    });
}
