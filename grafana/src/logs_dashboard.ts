import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as LogsPanel } from '@grafana/grafana-foundation-sdk/logs';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeSeriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { clickhouse } from './clickhouse_query.js';
import { distinctValuesVariable, selectedCondition, textCondition, textVariable } from './clickhouse_variables.js';

export const LOGS_DASHBOARD_UID = 'logpulse-logs';

/** The level of a line from its status class, as the data source's logs settings map it (clickhouse/logs_view.sql). */
const LEVEL = "multiIf(status >= 500, 'error', status >= 400, 'warning', status = 0, 'unknown', 'info')";

/** The status filter takes an exact code (404) or a class (5xx). */
const STATUS_CONDITION =
  "(${status:sqlstring} = '' OR toString(status) = ${status:sqlstring} OR concat(left(toString(status), 1), 'xx') = ${status:sqlstring})";

/** The lines the dashboard's filters select, each once. */
const SELECTED_LINES =
  'FROM logpulse.events FINAL WHERE $__timeFilter(ts) AND ' +
  `${selectedCondition('source', 'source')} AND ${selectedCondition('section', 'section')} AND ${STATUS_CONDITION} AND ` +
  `${textCondition('user', 'user')} AND ${textCondition('client', 'client')}`;

export const RAW_LINES_SQL =
  `SELECT ts AS timestamp, raw AS body, ${LEVEL} AS level, source, section, toString(status) AS status_code, user, client, vhost ` +
  `${SELECTED_LINES} ORDER BY ts DESC, event_id LIMIT 1000`;

export const LINES_OVER_TIME_SQL = `SELECT $__timeInterval(ts) AS time, ${LEVEL} AS level, count() AS lines ${SELECTED_LINES} GROUP BY time, level ORDER BY time, level`;

function topOf(column: string): string {
  return `SELECT ${column}, count() AS lines, min(ts) AS first_seen, max(ts) AS last_seen ${SELECTED_LINES} GROUP BY ${column} ORDER BY lines DESC, ${column} LIMIT 20`;
}

/**
 * A link to the raw lines of the range a panel shows (zoom into a spike first), with the source
 * selected there: what the traffic panels link to.
 */
export function logsLink(): dashboard.DashboardLinkBuilder {
  return new dashboard.DashboardLinkBuilder('Raw lines of this time range')
    .type(dashboard.DashboardLinkType.Link)
    .url(`/d/${LOGS_DASHBOARD_UID}/logpulse-logs?\${__url_time_range}&\${source:queryparam}`)
    .tooltip('The stored log lines behind this panel, for the same time range and source')
    .keepTime(false)
    .includeVars(false)
    .targetBlank(false);
}

function rawLinesPanel(): LogsPanel {
  return new LogsPanel()
    .title('Raw lines')
    .description('The stored lines of the range, newest first (at most 1000), each once: filter by source, section, status (404 or 5xx), user and client.')
    .span(24)
    .height(22)
    .showTime(true)
    .wrapLogMessage(false)
    .enableLogDetails(true)
    .sortOrder(common.LogsSortOrder.Descending)
    .dedupStrategy(common.LogsDedupStrategy.None)
    .withTarget(clickhouse(RAW_LINES_SQL).logs());
}

function linesOverTime(): TimeSeriesPanel {
  return new TimeSeriesPanel()
    .title('Matching lines over time')
    .description('The lines the filters select, per interval, by level (5xx error, 4xx warning).')
    .unit('short')
    .min(0)
    .span(12)
    .height(7)
    .drawStyle(common.GraphDrawStyle.Bars)
    .fillOpacity(60)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
    .withTarget(clickhouse(LINES_OVER_TIME_SQL).timeSeries());
}

function topTable(title: string, column: string): TablePanel {
  return new TablePanel()
    .title(title)
    .description(`The ${column} values of the lines the filters select, most frequent first.`)
    .span(6)
    .height(7)
    .withTarget(clickhouse(topOf(column)))
    .overrideByRegexp('(first|last)_seen', [{ id: 'unit', value: 'dateTimeAsIso' }]);
}

/** The raw lines of logpulse.events, filterable: what lies behind a spike in the traffic panels. */
export function logsDashboard(): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder('logpulse / Logs')
    .uid(LOGS_DASHBOARD_UID)
    .description('The raw log lines stored in ClickHouse, filterable by source, section, status, user and client.')
    .tags(['logpulse', 'clickhouse'])
    .editable()
    .refresh('1m')
    .time({ from: 'now-1h', to: 'now' })
    .timezone('utc')
    .withVariable(distinctValuesVariable('source', 'Source', 'source', 'Host the log comes from'))
    .withVariable(distinctValuesVariable('section', 'Section', 'section', 'Path up to its second /'))
    .withVariable(textVariable('status', 'Status', 'An exact status code (404) or a class (5xx); empty for all'))
    .withVariable(textVariable('user', 'User', 'Authenticated user; empty for all'))
    .withVariable(textVariable('client', 'Client', 'Client address; empty for all'))
    .withPanel(linesOverTime())
    .withPanel(topTable('Top clients of these lines', 'client'))
    .withPanel(topTable('Top paths of these lines', 'path'))
    .withPanel(rawLinesPanel());
}
