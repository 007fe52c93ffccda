import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeSeriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { clickhouse } from './clickhouse_query.js';
import { distinctValuesVariable } from './clickhouse_variables.js';
import { logsLink } from './logs_dashboard.js';
import * as q from './site_report_queries.js';

function stat(title: string, description: string, unit: string, sql: string, field: string): StatPanel {
  return new StatPanel()
    .title(title)
    .description(description)
    .unit(unit)
    .span(6)
    .height(4)
    .graphMode(common.BigValueGraphMode.None)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).fields(`/^${field}$/`))
    .withTarget(clickhouse(sql));
}

function table(title: string, description: string, sql: string, span = 12): TablePanel {
  return new TablePanel()
    .title(title)
    .description(description)
    .span(span)
    .height(9)
    .links([logsLink()])
    .withTarget(clickhouse(sql))
    .overrideByRegexp('^bytes$', [{ id: 'unit', value: 'bytes' }])
    .overrideByRegexp('.*_ms$', [{ id: 'unit', value: 'ms' }])
    .overrideByName('crawler_share', [{ id: 'unit', value: 'percentunit' }]);
}

function statusOverTime(): TimeSeriesPanel {
  return new TimeSeriesPanel()
    .title('Status codes over time')
    .description('Responses per interval by exact status code, from the stored lines.')
    .unit('short')
    .min(0)
    .span(24)
    .height(8)
    .links([logsLink()])
    .drawStyle(common.GraphDrawStyle.Bars)
    .fillOpacity(60)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
    .withTarget(clickhouse(q.STATUS_OVER_TIME_SQL).timeSeries());
}

/** What GoAccess's report tells about a site, from every stored line in ClickHouse. */
export function siteReportDashboard(): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder('logpulse / Site report')
    .uid('logpulse-site-report')
    .description('Visitors, paths, crawlers, browsers, referrers and virtual hosts from the access-log lines stored in ClickHouse, as GoAccess reports them.')
    .tags(['logpulse', 'clickhouse'])
    .editable()
    .refresh('1m')
    .time({ from: 'now-24h', to: 'now' })
    .timezone('utc')
    .withVariable(distinctValuesVariable('source', 'Source', 'source', 'Host the log comes from'))
    .withVariable(distinctValuesVariable('vhost', 'Virtual host', 'vhost', 'Virtual host of vhost_combined logs'))
    .withRow(new dashboard.RowBuilder('Overview'))
    .withPanel(stat('Requests', 'HTTP requests in the range.', 'short', q.TOTALS_SQL, 'requests'))
    .withPanel(stat('Unique visitors', 'GoAccess\'s definition: a client address with a user agent on a day.', 'short', q.TOTALS_SQL, 'visitors'))
    .withPanel(stat('Bandwidth', 'Bytes sent in the range.', 'bytes', q.TOTALS_SQL, 'bytes'))
    .withPanel(stat('Crawler share', 'Requests from bots and AI crawlers (isbot\'s pattern list) among all requests.', 'percentunit', q.CRAWLER_SHARE_SQL, 'crawler_share'))
    .withPanel(table('Unique visitors per day', 'Visitors (client + user agent) of each UTC day, with requests and bytes.', q.VISITORS_PER_DAY_SQL))
    .withPanel(table('Virtual hosts', 'Requests, visitors and bytes per virtual host (vhost_combined logs; others have none).', q.VIRTUAL_HOSTS_SQL))
    .withPanel(statusOverTime())
    .withRow(new dashboard.RowBuilder('Paths'))
    .withPanel(table('Top requested paths', 'The most requested paths, with their visitors and bytes.', q.TOP_PATHS_SQL))
    .withPanel(table('Top 404 paths', 'Paths answered 404 Not Found, most frequent first.', q.TOP_404_SQL))
    .withPanel(
      table(
        'Slowest sections',
        'p50 and p95 of the request time per section. Only lines whose log has a request time (nginx $request_time, IIS time-taken, SFTPGo elapsed_ms) count; combined and CLF logs have none.',
        q.SLOWEST_SECTIONS_SQL,
      ),
    )
    .withPanel(table('Slowest paths', 'p50 and p95 of the request time per path, where the log has a request time.', q.SLOWEST_PATHS_SQL))
    .withPanel(table('Bandwidth per section', 'Bytes sent per section, largest first.', q.BANDWIDTH_PER_SECTION_SQL))
    .withPanel(table('Referring sites', 'Hosts of the Referer header, most frequent first.', q.REFERRING_SITES_SQL))
    .withRow(new dashboard.RowBuilder('Visitors: people, bots and AI crawlers'))
    .withPanel(table('Bots and crawlers against humans', 'Requests and visitors of people, bots (isbot) and named AI crawlers.', q.VISITOR_KINDS_SQL, 8))
    .withPanel(table('Named crawlers', 'Bots and AI crawlers by name (uap-core\'s family), most active first.', q.NAMED_CRAWLERS_SQL, 16))
    .withPanel(table('Browsers', 'Browsers of the people (bots left out), by uap-core\'s names.', q.BROWSERS_SQL))
    .withPanel(table('Operating systems', 'Operating systems of the people (bots left out), by uap-core\'s names.', q.OPERATING_SYSTEMS_SQL));
}
