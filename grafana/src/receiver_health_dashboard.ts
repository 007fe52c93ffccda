import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeSeriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { clickhouse } from './clickhouse_query.js';
import { promInstant, promRange, promTable } from './prometheus_query.js';

/** Seconds since the receiver last read an event of each source (wall clock, not event time). */
const SILENCE = 'time() - logpulse_source_last_event_timestamp_seconds';

function thresholds(steps: dashboard.Threshold[]): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);
}

function lastEventTable(): TablePanel {
  return new TablePanel()
    .title('Last event per source')
    .description('Seconds since the receiver last read an event of each source. SourceSilent fires above 5 minutes.')
    .span(8)
    .height(8)
    .withTarget(promTable('A', SILENCE))
    .withTransformation({
      id: 'organize',
      options: {
        excludeByName: { Time: true, __name__: true, job: true },
        renameByName: { Value: 'seconds since last event' },
      },
    })
    .unit('s')
    .thresholds(thresholds([
      { value: null, color: 'green' },
      { value: 60, color: 'orange' },
      { value: 300, color: 'red' },
    ]))
    .cellOptions({ type: common.TableCellDisplayMode.ColorText } as common.TableCellOptions);
}

function silenceOverTime(): TimeSeriesPanel {
  return new TimeSeriesPanel()
    .title('Seconds since last event')
    .unit('s')
    .min(0)
    .span(16)
    .height(8)
    .withTarget(promRange('A', SILENCE, '{{source}}'));
}

function linesByOutcome(): TimeSeriesPanel {
  return new TimeSeriesPanel()
    .title('Lines by outcome')
    .description('Lines read per second: parsed, invalid (counted and skipped) and truncated (over max_line_bytes).')
    .unit('short')
    .min(0)
    .span(24)
    .height(8)
    .withTarget(
      promRange('A', 'sum by (source, outcome) (rate(logpulse_lines_total[$__rate_interval]))', '{{source}} {{outcome}}'),
    );
}

function sinkRows(): TimeSeriesPanel {
  return new TimeSeriesPanel()
    .title('ClickHouse sink rows')
    .description('Rows per second handed to ClickHouse, by outcome: written, retried, failed.')
    .unit('short')
    .min(0)
    .span(10)
    .height(8)
    .withTarget(promRange('A', 'sum by (outcome) (rate(logpulse_sink_rows_total[$__rate_interval]))', '{{outcome}}'))
    .overrideByName('failed', [{ id: 'color', value: { mode: 'fixed', fixedColor: 'red' } }]);
}

function sinkQueue(): TimeSeriesPanel {
  return new TimeSeriesPanel()
    .title('Sink queue')
    .description('Rows waiting for ClickHouse. Sources pause when it is full: the log files hold the backlog.')
    .unit('short')
    .min(0)
    .span(8)
    .height(8)
    .withTarget(promRange('A', 'max(logpulse_sink_queue_rows)', 'queued rows'));
}

function sinkFailures(): StatPanel {
  return new StatPanel()
    .title('Failed rows')
    .description('Rows ClickHouse refused over the dashboard range.')
    .unit('short')
    .span(6)
    .height(8)
    .colorMode(common.BigValueColorMode.Background)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']))
    .thresholds(thresholds([
      { value: null, color: 'green' },
      { value: 1, color: 'red' },
    ]))
    .withTarget(promInstant('A', 'sum(increase(logpulse_sink_rows_total{outcome="failed"}[$__range])) or vector(0)', 'failed'));
}

function ingestLag(): TimeSeriesPanel {
  return new TimeSeriesPanel()
    .title('Ingest lag')
    .description('How long after its own time an event was read (received_at - ts), from ClickHouse.')
    .unit('s')
    .min(0)
    .span(24)
    .height(8)
    .withTarget(
      clickhouse(
        'SELECT $__timeInterval(ts) AS time, ' +
          "avg(dateDiff('millisecond', ts, received_at)) / 1000 AS avg_lag_seconds, " +
          "max(dateDiff('millisecond', ts, received_at)) / 1000 AS max_lag_seconds " +
          'FROM logpulse.events FINAL WHERE $__timeFilter(ts) GROUP BY time ORDER BY time',
      ).timeSeries(),
    );
}

function firingAlerts(): TablePanel {
  return new TablePanel()
    .title('Firing alerts')
    .description('Alerts Prometheus is firing now; Alertmanager notifies them.')
    .span(24)
    .height(7)
    .withTarget(promTable('A', 'ALERTS{alertstate="firing"}'))
    .withTransformation({
      id: 'organize',
      options: { excludeByName: { Time: true, Value: true, __name__: true } },
    });
}

/** Is every source still sending, is every line parsed, is ClickHouse keeping up, what is firing. */
export function receiverHealthDashboard(): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder('logpulse / Sources and receiver health')
    .uid('logpulse-health')
    .description('Sources, line outcomes, the ClickHouse sink, ingest lag and firing alerts.')
    .tags(['logpulse', 'prometheus', 'clickhouse'])
    .editable()
    .refresh('30s')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .withRow(new dashboard.RowBuilder('Sources'))
    .withPanel(lastEventTable())
    .withPanel(silenceOverTime())
    .withPanel(linesByOutcome())
    .withRow(new dashboard.RowBuilder('ClickHouse sink'))
    .withPanel(sinkRows())
    .withPanel(sinkQueue())
    .withPanel(sinkFailures())
    .withPanel(ingestLag())
    .withRow(new dashboard.RowBuilder('Alerts'))
    .withPanel(firingAlerts());
}
