import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { CLICKHOUSE } from './datasources.js';

/**
 * Dashboard variables read from ClickHouse, and the SQL conditions that apply them. A multi-value
 * variable is applied with the plugin's `$__conditionalAll` (`1=1` for All) and `${v:sqlstring}`
 * (each value quoted, quotes doubled); a text box with `${v:sqlstring}`, empty meaning any. The
 * values reach ClickHouse as SQL text: the data source's user can only read (clickhouse/users.sql).
 */

/** A multi-value variable listing the distinct values of `column` among the events of the range. */
export function distinctValuesVariable(name: string, label: string, column: string, description: string): dashboard.QueryVariableBuilder {
  const sql = `SELECT DISTINCT ${column} FROM logpulse.events WHERE $__timeFilter(ts) AND ${column} != '' ORDER BY ${column}`;
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .description(description)
    .datasource(CLICKHOUSE)
    .query(sql)
    .definition(sql)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true);
}

/** `column IN (selected)`, or true when All is selected. */
export function selectedCondition(column: string, variable: string): string {
  return `$__conditionalAll(${column} IN (\${${variable}:sqlstring}), $${variable})`;
}

/** A free-text filter: empty matches everything. */
export function textVariable(name: string, label: string, description: string): dashboard.TextBoxVariableBuilder {
  return new dashboard.TextBoxVariableBuilder(name).label(label).description(description).defaultValue('');
}

/** `column = text`, or true when the text box is empty. */
export function textCondition(column: string, variable: string): string {
  return `(\${${variable}:sqlstring} = '' OR ${column} = \${${variable}:sqlstring})`;
}
