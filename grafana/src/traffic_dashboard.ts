import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StateTimelinePanel } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeSeriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { PROMETHEUS } from './datasources.js';
import { logsLink } from './logs_dashboard.js';
import { promInstant, promRange, promTable } from './prometheus_query.js';

/** Requests of the selected sources; `$source` is a regex (All is `.*`). */
const REQUESTS = 'logpulse_http_requests_total{source=~"$source"}';
const RESPONSE_BYTES = 'logpulse_http_response_bytes_total{source=~"$source"}';
const THRESHOLD = 'max(logpulse_high_traffic_threshold_rps)';
/** prometheus/rules/logpulse.yml records the 2-minute average the HighTraffic alert compares. */
const ALERT_AVERAGE = 'logpulse:http_requests:rate2m';

function sourceVariable(): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder('source')
    .label('Source')
    .description('Host the log comes from')
    .datasource(PROMETHEUS)
    .query('label_values(logpulse_http_requests_total, source)')
    .definition('label_values(logpulse_http_requests_total, source)')
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*');
}

function requestRatePanel(): TimeSeriesPanel {
  return new TimeSeriesPanel()
    .title('Requests per second')
    .description(
      'Requests per second of the selected sources, the high-traffic threshold the receiver publishes, and ' +
        'the 2-minute average of all sources that the HighTraffic alert compares with it.',
    )
    .unit('reqps')
    .min(0)
    .span(16)
    .height(9)
    .links([logsLink()])
    .withTarget(promRange('A', `sum(rate(${REQUESTS}[$__rate_interval]))`, 'requests/s'))
    .withTarget(promRange('B', ALERT_AVERAGE, '2-minute average (alert input)'))
    .withTarget(promRange('C', THRESHOLD, 'threshold'))
    .overrideByName('threshold', [
      { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } },
      { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
      { id: 'custom.fillOpacity', value: 0 },
    ])
    .overrideByName('2-minute average (alert input)', [
      { id: 'color', value: { mode: 'fixed', fixedColor: 'orange' } },
      { id: 'custom.lineWidth', value: 2 },
      { id: 'custom.fillOpacity', value: 0 },
    ])
    .fillOpacity(10);
}

function alertStatePanel(): StateTimelinePanel {
  return new StateTimelinePanel()
    .title('HighTraffic alert')
    .description('State of the HighTraffic alert as Prometheus evaluates it: empty while traffic is normal.')
    .span(8)
    .height(9)
    .withTarget(promRange('A', 'max by (alertstate) (ALERTS{alertname="HighTraffic"})', '{{alertstate}}'))
    .mappings([
      { type: dashboard.MappingType.ValueToText, options: { '1': { text: 'active', color: 'red', index: 0 } } },
    ])
    .showValue(common.VisibilityMode.Never)
    .mergeValues(true);
}

function statPanel(title: string, description: string, expr: string, unit: string): StatPanel {
  return new StatPanel()
    .title(title)
    .description(description)
    .unit(unit)
    .span(8)
    .height(4)
    .graphMode(common.BigValueGraphMode.Area)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']))
    .withTarget(promInstant('A', expr, title));
}

function bySectionPanel(title: string, expr: string, unit: string): TimeSeriesPanel {
  return new TimeSeriesPanel()
    .title(title)
    .unit(unit)
    .min(0)
    .span(12)
    .height(8)
    .links([logsLink()])
    .withTarget(promRange('A', expr, '{{section}}'))
    .fillOpacity(10);
}

function statusClassPanel(): TimeSeriesPanel {
  return new TimeSeriesPanel()
    .title('Responses by status class')
    .unit('reqps')
    .min(0)
    .span(12)
    .height(8)
    .links([logsLink()])
    .withTarget(
      promRange('A', `sum by (status_class) (rate(${REQUESTS}[$__rate_interval]))`, '{{status_class}}'),
    )
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
    .fillOpacity(30);
}

function topSectionsPanel(): TablePanel {
  return new TablePanel()
    .title('Top sections')
    .description('The sections with the most hits over the dashboard range (sections beyond the per-source limit count as "other").')
    .span(12)
    .height(8)
    .withTarget(
      promTable(
        'A',
        `topk(10, sum by (section) (increase(${REQUESTS}[$__range])))`,
      ),
    )
    .withTarget(promTable('B', `sum by (section) (increase(${RESPONSE_BYTES}[$__range]))`))
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({
      id: 'organize',
      options: {
        excludeByName: { Time: true },
        renameByName: { 'Value #A': 'Hits', 'Value #B': 'Bytes' },
        indexByName: { section: 0, 'Value #A': 1, 'Value #B': 2 },
      },
    })
    .withTransformation({ id: 'filterByValue', options: { type: 'exclude', match: 'any', filters: [{ fieldName: 'Hits', config: { id: 'isNull', options: {} } }] } })
    .overrideByName('Bytes', [{ id: 'unit', value: 'bytes' }])
    .overrideByName('Hits', [{ id: 'decimals', value: 0 }])
    .sortBy([new common.TableSortByFieldStateBuilder().displayName('Hits').desc(true)]);
}

/** Traffic of the web-access logs: request rate against the alert threshold, sections, status classes. */
export function trafficDashboard(): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder('logpulse / Traffic')
    .uid('logpulse-traffic')
    .description('HTTP traffic read from access logs, from the receiver\'s Prometheus metrics.')
    .tags(['logpulse', 'prometheus'])
    .editable()
    .refresh('10s')
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .withVariable(sourceVariable())
    .withRow(new dashboard.RowBuilder('Requests and the high-traffic alert'))
    .withPanel(requestRatePanel())
    .withPanel(alertStatePanel())
    .withPanel(statPanel('Requests per second', 'Selected sources, now.', `sum(rate(${REQUESTS}[$__rate_interval]))`, 'reqps'))
    .withPanel(statPanel('2-minute average', 'All sources: the value the HighTraffic alert compares.', ALERT_AVERAGE, 'reqps'))
    .withPanel(statPanel('Threshold', 'High-traffic threshold the receiver publishes.', THRESHOLD, 'reqps'))
    .withRow(new dashboard.RowBuilder('Sections and status classes'))
    .withPanel(bySectionPanel('Hits per section', `sum by (section) (rate(${REQUESTS}[$__rate_interval]))`, 'reqps'))
    .withPanel(bySectionPanel('Bytes per section', `sum by (section) (rate(${RESPONSE_BYTES}[$__rate_interval]))`, 'Bps'))
    .withPanel(statusClassPanel())
    .withPanel(topSectionsPanel());
}
