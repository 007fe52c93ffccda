import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiverMetrics } from '../../src/metrics/index.js';
import { logpulsePrometheusFiles, startPrometheus } from '../engines/prometheus.js';
import type { PrometheusHandle } from '../engines/prometheus.js';
import { panelQueries, readCommittedDashboards } from './dashboard_walk.js';
import type { PanelQuery } from './dashboard_walk.js';
import { allFixtureEvents } from './fixture_events.js';
import { expandPromQl } from './grafana_macros.js';
import type { PrometheusContext } from './grafana_macros.js';

/**
 * Every Prometheus query of the dashboards, run on Debian's Prometheus loaded with the repository's
 * rules, scraping the receiver's real metrics module fed with the parsed fixture logs.
 */
interface Series {
  metric: Record<string, string>;
  values?: Array<[number, string]>;
  value?: [number, string];
}

const THRESHOLD_RPS = 0.5;
const ALL: PrometheusContext = { rateInterval: '4s', range: '1m', variables: { source: 'All' } };

async function api(prometheus: PrometheusHandle, path: string): Promise<unknown> {
  const response = await fetch(`${prometheus.url}${path}`);
  const body = (await response.json()) as { status: string; data: unknown; error?: string };
  if (body.status !== 'success') throw new Error(`prometheus ${path}: ${body.error ?? response.status}`);
  return body.data;
}

async function runPanelQuery(prometheus: PrometheusHandle, query: PanelQuery, ctx: PrometheusContext, startS: number): Promise<Series[]> {
  const expr = encodeURIComponent(expandPromQl(query.target.expr ?? '', ctx));
  const nowS = Date.now() / 1000;
  const data = query.target.instant
    ? await api(prometheus, `/api/v1/query?query=${expr}&time=${nowS}`)
    : await api(prometheus, `/api/v1/query_range?query=${expr}&start=${startS}&end=${nowS}&step=1`);
  return (data as { result: Series[] }).result;
}

function hasNumber(series: Series[]): boolean {
  return series.some((s) => [...(s.values ?? []), ...(s.value ? [s.value] : [])].some(([, v]) => Number.isFinite(Number(v))));
}

function queryOf(title: string, refId = 'A'): PanelQuery {
  const query = panelQueries(readCommittedDashboards(), 'prometheus').find(
    (q) => q.where.includes(`"${title}"`) && q.target.refId === refId,
  );
  if (query === undefined) throw new Error(`no Prometheus panel "${title}" ${refId}`);
  return query;
}

describe('Prometheus panels', () => {
  let metrics: ReceiverMetrics;
  let prometheus: PrometheusHandle;
  let feeder: NodeJS.Timeout;
  let startS: number;

  beforeAll(async () => {
    metrics = new ReceiverMetrics({ metricsPort: 0, highTrafficThresholdRps: THRESHOLD_RPS, serviceVersion: 'test' });
    await metrics.start();
    const events = allFixtureEvents();
    const feed = (): void => {
      const now = Date.now();
      metrics.consumer.consume(events.map((e) => ({ ...e, receivedAt: now })));
      metrics.telemetry.linesProcessed('web-1', 'parsed', 8);
      metrics.telemetry.linesProcessed('web-1', 'invalid', 1);
      metrics.telemetry.linesProcessed('sftp-1', 'parsed', 5);
      metrics.telemetry.linesProcessed('sftp-1', 'truncated', 1);
      metrics.telemetry.sinkRows('written', 13);
      metrics.telemetry.sinkRows('failed', 1);
      metrics.telemetry.sinkQueueRows(3);
    };
    feed();
    // About 32 requests a second, far above the threshold: HighTraffic fires once Prometheus has
    // two scrapes in its 2-minute window.
    feeder = setInterval(feed, 250);
    startS = Math.floor(Date.now() / 1000);
    prometheus = await startPrometheus({
      files: await logpulsePrometheusFiles({ receiverTarget: `127.0.0.1:${metrics.port}`, intervalSeconds: 1 }),
    });
    const deadline = Date.now() + 45_000;
    for (;;) {
      const firing = await prometheus.query('ALERTS{alertname="HighTraffic", alertstate="firing"}');
      const failed = await prometheus.query('increase(logpulse_sink_rows_total{outcome="failed"}[1m]) > 0');
      const rates = await prometheus.query('sum(rate(logpulse_http_requests_total[4s])) > 0');
      if (firing.length > 0 && failed.length > 0 && rates.length > 0) break;
      if (Date.now() > deadline) throw new Error('HighTraffic did not fire within 45 s of scraping the receiver');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // A few more evaluations, so that the rules' newest series have points on the 1-second steps
    // of a range query ending now, not only a sample between the last step and now.
    await new Promise((resolve) => setTimeout(resolve, 3000));
  });

  afterAll(async () => {
    clearInterval(feeder);
    await prometheus?.stop();
    await metrics?.shutdown();
  });

  it('finds Prometheus queries in the traffic and health dashboards', () => {
    const queries = panelQueries(readCommittedDashboards(), 'prometheus');
    expect(queries.length).toBeGreaterThanOrEqual(15);
    expect(new Set(queries.map((q) => q.where.split(' ')[0]))).toEqual(new Set(['receiver_health.json', 'traffic.json']));
  });

  it('returns data for every Prometheus query with all sources selected', async () => {
    const empty: string[] = [];
    for (const query of panelQueries(readCommittedDashboards(), 'prometheus')) {
      if (!hasNumber(await runPanelQuery(prometheus, query, ALL, startS))) empty.push(`${query.where}: ${query.target.expr}`);
    }
    expect(empty).toEqual([]);
  });

  it('returns data for the queries filtered by one selected source', async () => {
    const oneSource: PrometheusContext = { ...ALL, variables: { source: ['web-1'] } };
    const filtered = panelQueries(readCommittedDashboards(), 'prometheus').filter((q) => q.target.expr?.includes('$source'));
    expect(filtered.length).toBeGreaterThanOrEqual(5);
    for (const query of filtered) {
      expect(hasNumber(await runPanelQuery(prometheus, query, oneSource, startS)), query.where).toBe(true);
    }
  });

  it('lists the sources of HTTP traffic in the source variable', async () => {
    const variable = readCommittedDashboards().get('traffic.json')?.templating?.list?.find((v) => v.name === 'source');
    const match = /^label_values\((\w+), (\w+)\)$/.exec(String(variable?.query));
    expect(match).not.toBeNull();
    const values = await api(prometheus, `/api/v1/label/${match?.[2]}/values?match[]=${match?.[1]}`);
    expect(values).toEqual(['web-1']);
  });

  it('draws the threshold the receiver publishes and the alert state as Prometheus evaluates it', async () => {
    const threshold = await runPanelQuery(prometheus, queryOf('Requests per second', 'C'), ALL, startS);
    expect(threshold).toHaveLength(1);
    expect(Number(threshold[0]?.values?.at(-1)?.[1])).toBe(THRESHOLD_RPS);

    const average = await runPanelQuery(prometheus, queryOf('2-minute average'), ALL, startS);
    expect(Number(average[0]?.value?.[1])).toBeGreaterThan(THRESHOLD_RPS);

    const state = await runPanelQuery(prometheus, queryOf('HighTraffic alert'), ALL, startS);
    expect(state.map((s) => s.metric['alertstate'])).toContain('firing');
  });

  it('splits requests by the sections and status classes of the fixture log', async () => {
    const sections = await runPanelQuery(prometheus, queryOf('Top sections'), ALL, startS);
    expect(sections.map((s) => s.metric['section']).sort()).toEqual(['/', '/api', '/favicon.ico', '/pages', '/reports']);
    const classes = await runPanelQuery(prometheus, queryOf('Responses by status class'), ALL, startS);
    expect(classes.map((s) => s.metric['status_class']).sort()).toEqual(['2xx', '3xx', '4xx', '5xx']);
  });

  it('shows line outcomes, sink failures and the firing alerts on the health dashboard', async () => {
    const lines = await runPanelQuery(prometheus, queryOf('Lines by outcome'), ALL, startS);
    expect(lines.map((s) => `${s.metric['source']} ${s.metric['outcome']}`).sort()).toEqual([
      'sftp-1 parsed',
      'sftp-1 truncated',
      'web-1 invalid',
      'web-1 parsed',
    ]);
    const failed = await runPanelQuery(prometheus, queryOf('Failed rows'), ALL, startS);
    expect(Number(failed[0]?.value?.[1])).toBeGreaterThan(0);
    const queue = await runPanelQuery(prometheus, queryOf('Sink queue'), ALL, startS);
    expect(Number(queue[0]?.values?.at(-1)?.[1])).toBe(3);
    const firing = await runPanelQuery(prometheus, queryOf('Firing alerts'), ALL, startS);
    expect(firing.map((s) => s.metric['alertname'])).toContain('HighTraffic');
  });
});
