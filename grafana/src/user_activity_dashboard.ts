import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as BarChartPanel } from '@grafana/grafana-foundation-sdk/barchart';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeSeriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { clickhouse } from './clickhouse_query.js';
import { CLICKHOUSE } from './datasources.js';

/**
 * Rows of the dashboard range for the selected users. `$__conditionalAll` (a macro of the ClickHouse
 * plugin) becomes `1=1` when All is selected; otherwise `${user:sqlstring}` is the quoted, escaped
 * list of the selected names. Per-user history lives only in ClickHouse: users are no metric label.
 * Every query reads `FROM logpulse.events FINAL`: a line delivered twice (re-read after a crash)
 * counts once before ClickHouse merges it away (README "Full stack" has what it costs).
 */
const WHERE = 'WHERE $__timeFilter(ts) AND $__conditionalAll(user IN (${user:sqlstring}), $user)';

function userVariable(): dashboard.QueryVariableBuilder {
  const sql = "SELECT DISTINCT user FROM logpulse.events WHERE $__timeFilter(ts) AND user != '' ORDER BY user";
  return new dashboard.QueryVariableBuilder('user')
    .label('User')
    .description('Authenticated users seen in the dashboard range')
    .datasource(CLICKHOUSE)
    .query(sql)
    .definition(sql)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true);
}

function stat(title: string, unit: string, sql: string): StatPanel {
  return new StatPanel()
    .title(title)
    .unit(unit)
    .span(6)
    .height(4)
    .graphMode(common.BigValueGraphMode.None)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']))
    .withTarget(clickhouse(sql));
}

function transfersOverTime(): TimeSeriesPanel {
  return new TimeSeriesPanel()
    .title('Uploads and downloads')
    .description('Transfers per interval, by direction.')
    .unit('short')
    .min(0)
    .span(12)
    .height(8)
    .drawStyle(common.GraphDrawStyle.Bars)
    .fillOpacity(60)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
    .withTarget(
      clickhouse(
        "SELECT $__timeInterval(ts) AS time, countIf(direction = 'upload') AS uploads, " +
          "countIf(direction = 'download') AS downloads FROM logpulse.events FINAL " +
          `${WHERE} AND kind = 'transfer' GROUP BY time ORDER BY time`,
      ).timeSeries(),
    );
}

function bytesOverTime(): TimeSeriesPanel {
  return new TimeSeriesPanel()
    .title('Transferred bytes')
    .description('Bytes uploaded and downloaded per interval.')
    .unit('bytes')
    .min(0)
    .span(12)
    .height(8)
    .fillOpacity(20)
    .withTarget(
      clickhouse(
        'SELECT toStartOfInterval(ts, INTERVAL $__interval_s second) AS time, ' +
          "sumIf(bytes, direction = 'upload') AS uploaded, sumIf(bytes, direction = 'download') AS downloaded " +
          `FROM logpulse.events FINAL ${WHERE} AND kind = 'transfer' GROUP BY time ORDER BY time`,
      ).timeSeries(),
    );
}

function bytesPerUser(): TablePanel {
  return new TablePanel()
    .title('Bytes per user')
    .description('Uploads, downloads and HTTP bytes of each user over the dashboard range, largest first.')
    .span(12)
    .height(10)
    .withTarget(
      clickhouse(
        "SELECT user, sumIf(bytes, direction = 'upload') AS uploaded_bytes, " +
          "sumIf(bytes, direction = 'download') AS downloaded_bytes, sumIf(bytes, kind = 'http') AS http_bytes, " +
          "countIf(direction = 'upload') AS uploads, countIf(direction = 'download') AS downloads, " +
          "countIf(kind = 'http') AS requests, max(ts) AS last_seen " +
          `FROM logpulse.events FINAL ${WHERE} AND user != '' ` +
          'GROUP BY user ORDER BY uploaded_bytes + downloaded_bytes + http_bytes DESC, user LIMIT 500',
      ),
    )
    .overrideByRegexp('.*_bytes', [{ id: 'unit', value: 'bytes' }])
    .overrideByName('last_seen', [{ id: 'unit', value: 'dateTimeAsIso' }]);
}

function transfersPerUser(): BarChartPanel {
  return new BarChartPanel()
    .title('Transfers per user')
    .description('Uploads and downloads of each user over the dashboard range, most active first.')
    .span(24)
    .height(8)
    .xField('user')
    .stacking(common.StackingMode.Normal)
    .showValue(common.VisibilityMode.Never)
    .withTarget(
      clickhouse(
        "SELECT user, countIf(direction = 'upload') AS uploads, countIf(direction = 'download') AS downloads " +
          `FROM logpulse.events FINAL ${WHERE} AND kind = 'transfer' AND user != '' ` +
          'GROUP BY user ORDER BY uploads + downloads DESC, user LIMIT 50',
      ),
    );
}

function clientsPerUser(): TablePanel {
  return new TablePanel()
    .title('Client addresses per user')
    .description('Where each user connected from: every address, its events and when it was first and last seen.')
    .span(12)
    .height(10)
    .withTarget(
      clickhouse(
        'SELECT user, client, count() AS events, min(ts) AS first_seen, max(ts) AS last_seen ' +
          `FROM logpulse.events FINAL ${WHERE} AND user != '' ` +
          'GROUP BY user, client ORDER BY user, events DESC, client LIMIT 1000',
      ),
    )
    .overrideByRegexp('(first|last)_seen', [{ id: 'unit', value: 'dateTimeAsIso' }]);
}

function activityBars(title: string, description: string, xField: string, sql: string): BarChartPanel {
  return new BarChartPanel()
    .title(title)
    .description(description)
    .span(12)
    .height(8)
    .xField(xField)
    .showValue(common.VisibilityMode.Never)
    .withTarget(clickhouse(sql));
}

function activityPerDay(): BarChartPanel {
  return activityBars(
    'Activity per day (UTC)',
    'Users seen, transfers and requests of each day.',
    'day',
    "SELECT formatDateTime(ts, '%F') AS day, uniqExactIf(user, user != '') AS users, " +
      "countIf(kind = 'transfer') AS transfers, countIf(kind = 'http') AS requests " +
      `FROM logpulse.events FINAL ${WHERE} GROUP BY day ORDER BY day`,
  );
}

function activityPerHour(): BarChartPanel {
  return activityBars(
    'Activity by hour of day (UTC)',
    'When users are active: events of each hour of the day over the dashboard range.',
    'hour',
    "SELECT formatDateTime(ts, '%H') AS hour, uniqExactIf(user, user != '') AS users, " +
      "countIf(kind = 'transfer') AS transfers, countIf(kind = 'http') AS requests " +
      `FROM logpulse.events FINAL ${WHERE} GROUP BY hour ORDER BY hour`,
  );
}

/** Who did what and when, from the events stored in ClickHouse. */
export function userActivityDashboard(): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder('logpulse / User activity')
    .uid('logpulse-user-activity')
    .description('Users, transfers and client addresses from the events stored in ClickHouse.')
    .tags(['logpulse', 'clickhouse'])
    .editable()
    .refresh('1m')
    .time({ from: 'now-7d', to: 'now' })
    .timezone('utc')
    .withVariable(userVariable())
    .withRow(new dashboard.RowBuilder('Overview'))
    .withPanel(stat('Active users', 'short', `SELECT uniqExact(user) AS active_users FROM logpulse.events FINAL ${WHERE} AND user != ''`))
    .withPanel(stat('Transfers', 'short', `SELECT count() AS transfers FROM logpulse.events FINAL ${WHERE} AND kind = 'transfer'`))
    .withPanel(
      stat('Uploaded', 'bytes', `SELECT sum(bytes) AS uploaded_bytes FROM logpulse.events FINAL ${WHERE} AND direction = 'upload'`),
    )
    .withPanel(
      stat('Downloaded', 'bytes', `SELECT sum(bytes) AS downloaded_bytes FROM logpulse.events FINAL ${WHERE} AND direction = 'download'`),
    )
    .withPanel(transfersOverTime())
    .withPanel(bytesOverTime())
    .withRow(new dashboard.RowBuilder('Per user'))
    .withPanel(transfersPerUser())
    .withPanel(bytesPerUser())
    .withPanel(clientsPerUser())
    .withRow(new dashboard.RowBuilder('When'))
    .withPanel(activityPerDay())
    .withPanel(activityPerHour());
}
