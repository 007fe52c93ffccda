import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import { CLICKHOUSE } from './datasources.js';

/**
 * How the ClickHouse plugin (grafana-clickhouse-datasource 4.x) shapes the result: `format` is the
 * backend's frame format (0 time series, 1 table, 2 logs), `queryType` the editor's matching tab.
 */
export type ClickHouseResultShape = 'table' | 'timeSeries' | 'logs';

const FORMATS: Record<ClickHouseResultShape, 0 | 1 | 2> = { timeSeries: 0, table: 1, logs: 2 };

/**
 * A raw-SQL query of the ClickHouse plugin, as the plugin stores it in a dashboard (its `CHSqlQuery`
 * model). The Foundation SDK has no builder for this plugin, so the type lives here.
 */
export interface ClickHouseQuery extends Dataquery {
  refId: string;
  datasource: { type: typeof CLICKHOUSE.type; uid: string };
  editorType: 'sql';
  format: 0 | 1 | 2;
  queryType: ClickHouseResultShape;
  /** SQL with Grafana macros (`$__timeFilter(ts)`, `$__interval_s`, ...) and `${variable}`s. */
  rawSql: string;
}

/**
 * Builds a ClickHouse raw-SQL target for the SDK's panel builders (`withTarget`).
 * The result shape defaults to a table; `timeSeries()` switches it to a time series whose first
 * column is the time.
 */
export class ClickHouseQueryBuilder implements Builder<Dataquery> {
  private shape: ClickHouseResultShape = 'table';
  private ref = 'A';

  constructor(private readonly sql: string) {}

  /** Reads the result as time series: the plugin takes the first DateTime column as the time axis. */
  timeSeries(): this {
    this.shape = 'timeSeries';
    return this;
  }

  /** Reads the result as log lines: the first time column, `body` the line, `level` its level. */
  logs(): this {
    this.shape = 'logs';
    return this;
  }

  refId(refId: string): this {
    this.ref = refId;
    return this;
  }

  build(): ClickHouseQuery {
    return {
      refId: this.ref,
      datasource: { type: CLICKHOUSE.type, uid: CLICKHOUSE.uid },
      editorType: 'sql',
      format: FORMATS[this.shape],
      queryType: this.shape,
      rawSql: this.sql,
      _implementsDataqueryVariant() {},
    };
  }
}

/** Shorthand: `clickhouse(sql)` in a panel's `withTarget`. */
export function clickhouse(sql: string): ClickHouseQueryBuilder {
  return new ClickHouseQueryBuilder(sql);
}
