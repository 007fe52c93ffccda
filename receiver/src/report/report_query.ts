import type { QueryParams } from '../clickhouse/store.js';

/** Length of one row of the report. */
export type ReportBucket = 'hour' | 'day';

export interface ReportWindow {
  /** First millisecond of the report, epoch ms (included). */
  fromMs: number;
  /** End of the report, epoch ms (excluded). */
  toMs: number;
  by: ReportBucket;
}

/** One row: what one source did in one hour or day. */
export interface ReportRow {
  /** Start of the hour or day, ISO-8601 UTC. */
  period: string;
  source: string;
  /** Lines read (blank and header lines included), from `logpulse.ingest`. */
  lines: number;
  /** Events stored, from `logpulse.events`. */
  events: number;
  bytes: number;
  /** Lines that no parser could read, from `logpulse.ingest`. */
  invalid: number;
  /** Times the source was declared silent (SourceSilent firing). */
  silentPeriods: number;
  /** Alerts that fired (any alert; HighTraffic is about every source together: source `(all)`). */
  alerts: number;
}

/** Where HighTraffic, which is about no single source, is counted. */
export const ALL_SOURCES = '(all)';

const BUCKET_FUNCTION: Record<ReportBucket, string> = { hour: 'toStartOfHour', day: 'toStartOfDay' };

/**
 * The report's one query. Everything is bucketed by the time the receiver read it (received_at,
 * the ingest table's minute, the alert's wall time for SourceSilent): the report says what
 * arrived, as an operator's hourly mail asks. Every table is read with FINAL so that rows sent
 * twice count once; several receivers (hosts) and runs add up. The bucket function comes from a
 * fixed list; the times travel as bound parameters.
 */
export function reportQuery(window: ReportWindow): { sql: string; params: QueryParams } {
  const bucket = BUCKET_FUNCTION[window.by];
  const range = (column: string): string => `${column} >= {from:DateTime64(3, 'UTC')} AND ${column} < {to:DateTime64(3, 'UTC')}`;
  const sql = `
SELECT formatDateTime(period, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS period, source,
       sum(lines) AS lines, sum(events) AS events, sum(bytes) AS bytes, sum(invalid) AS invalid,
       sum(silent_periods) AS silent_periods, sum(alerts) AS alerts
FROM
(
    SELECT ${bucket}(minute) AS period, toString(source) AS source, toUInt64(sum(lines_read)) AS lines, toUInt64(0) AS events,
           toUInt64(0) AS bytes, toUInt64(sum(invalid)) AS invalid, toUInt64(0) AS silent_periods, toUInt64(0) AS alerts
    FROM logpulse.ingest FINAL WHERE ${range('minute')} GROUP BY period, source
    UNION ALL
    SELECT ${bucket}(toDateTime(received_at, 'UTC')) AS period, toString(source) AS source, toUInt64(0), toUInt64(count()),
           toUInt64(sum(bytes)), toUInt64(0), toUInt64(0), toUInt64(0)
    FROM logpulse.events FINAL WHERE ${range('received_at')} GROUP BY period, source
    UNION ALL
    SELECT ${bucket}(toDateTime(at, 'UTC')) AS period, if(source = '', '${ALL_SOURCES}', toString(source)) AS source, toUInt64(0), toUInt64(0),
           toUInt64(0), toUInt64(0), toUInt64(countIf(alert = 'SourceSilent' AND state = 'firing')), toUInt64(countIf(state = 'firing'))
    FROM logpulse.alerts FINAL WHERE ${range('at')} GROUP BY period, source
)
GROUP BY period, source
ORDER BY period, source`;
  const params = { from: sqlTime(window.fromMs), to: sqlTime(window.toMs) };
  return { sql, params };
}

/** Epoch ms as DateTime64(3)'s parameter text. */
function sqlTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
}

/** The rows of the query's JSONEachRow answer (64-bit counts arrive as strings). */
export function parseReportRows(text: string): ReportRow[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const r = JSON.parse(line) as Record<string, string | number>;
      return {
        period: String(r['period']),
        source: String(r['source']),
        lines: Number(r['lines']),
        events: Number(r['events']),
        bytes: Number(r['bytes']),
        invalid: Number(r['invalid']),
        silentPeriods: Number(r['silent_periods']),
        alerts: Number(r['alerts']),
      };
    });
}
