import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logpulsePrometheusFiles, startPrometheus } from '../engines/prometheus.js';
import type { PrometheusHandle } from '../engines/prometheus.js';
import { panelQueries, readCommittedDashboards } from './dashboard_walk.js';
import type { PanelQuery } from './dashboard_walk.js';
import { startDemoTrafficReceiver } from './demo_traffic_receiver.js';
import type { DemoTrafficReceiver } from './demo_traffic_receiver.js';
import { hasNumber, lastValue, prometheusApi, runPanelTarget } from './grafana_prometheus_query.js';
import type { PanelQueryContext, Series } from './grafana_prometheus_query.js';

/**
 * Every Prometheus query of the dashboards, run as Grafana runs it on Debian's Prometheus loaded
 * with the repository's rules, scraping the compiled receiver that follows a log the demo
 * generator writes: a steady burst of 40 requests a second against a threshold of 2, so that
 * HighTraffic fires within seconds of the first scrapes.
 */

const SOURCE = 'web-1';
const THRESHOLD_RPS = 2;
const SCRAPE_INTERVAL_SECONDS = 1;
/** A line longer than the receiver's 64 KiB default is truncated: a scanner's oversized URL. */
const OVERSIZED_LINE = `198.51.100.23 - - [22/Nov/2026:10:00:00 +0000] "GET /search?q=${'A'.repeat(70_000)} HTTP/1.1" 414 150 "-" "masscan/1.3"`;
/** An error-log line written into the access log by a misconfigured server: not an access-log line. */
const FOREIGN_LINE = '2026/11/22 10:00:00 [error] 3121#3121: *88 upstream timed out (110: Connection timed out) while reading response header from upstream';

function queryOf(title: string, refId = 'A'): PanelQuery {
  const query = panelQueries(readCommittedDashboards(), 'prometheus').find(
    (q) => q.where.includes(`"${title}"`) && q.target.refId === refId,
  );
  if (query === undefined) throw new Error(`no Prometheus panel "${title}" ${refId}`);
  return query;
}

/** The section of each request in a combined log, as the receiver computes it (path up to its second `/`). */
function sectionsOf(log: string): Set<string> {
  const sections = new Set<string>();
  for (const match of log.matchAll(/"[A-Z]+ (\/[^ ?"]*)[^"]*"/g)) {
    sections.add(/^\/[^/]*/.exec(match[1] ?? '/')?.[0] ?? '/');
  }
  return sections;
}

describe('Prometheus panels on a receiver fed with demo traffic', () => {
  let receiver: DemoTrafficReceiver | undefined;
  let prometheus: PrometheusHandle | undefined;
  let fromMs: number;

  /** The dashboard's time range: from Prometheus' start to now, with `source` selected as given. */
  function context(source: 'All' | string[] = 'All'): PanelQueryContext {
    return { time: { fromMs, toMs: Date.now(), scrapeIntervalSeconds: SCRAPE_INTERVAL_SECONDS }, variables: { source } };
  }

  async function run(query: PanelQuery, ctx = context()): Promise<Series[]> {
    if (prometheus === undefined) throw new Error('prometheus did not start');
    return runPanelTarget(prometheus, query.target, ctx);
  }

  beforeAll(async () => {
    receiver = await startDemoTrafficReceiver({
      source: SOURCE,
      thresholdRps: THRESHOLD_RPS,
      demo: { rate: 40, burstRate: 40, burstSeconds: 0, writesPerSecond: 8 },
    });
    fromMs = Date.now();
    prometheus = await startPrometheus({
      files: await logpulsePrometheusFiles({
        receiverTarget: `127.0.0.1:${receiver.metricsPort}`,
        intervalSeconds: SCRAPE_INTERVAL_SECONDS,
      }),
    });
    await receiver.appendLines([FOREIGN_LINE, OVERSIZED_LINE]);

    // Ready when the alert fires, rows reached ClickHouse, and the rarer series (5xx, the bad
    // lines) have been scraped twice, which rate() needs.
    const ready = [
      'ALERTS{alertname="HighTraffic", alertstate="firing"}',
      'sum(logpulse_sink_rows_total{outcome="written"}) > 0',
      'count(count by (status_class) (rate(logpulse_http_requests_total[4s]))) >= 4',
      'count(count by (outcome) (rate(logpulse_lines_total[1m]))) >= 3',
    ];
    const deadline = Date.now() + 60_000;
    for (;;) {
      const answers = await Promise.all(ready.map((expr) => prometheus?.query(expr) ?? []));
      if (answers.every((answer) => answer.length > 0)) break;
      if (Date.now() > deadline) {
        const missing = ready.filter((_, i) => answers[i]?.length === 0);
        throw new Error(`not within 60 s of scraping the receiver: ${missing.join('; ')}\nreceiver log:\n${receiver.logTail()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // A few more evaluations, so that the rules' newest series have points on the 1-second steps
    // of a range query ending now, not only a sample between the last step and now.
    await new Promise((resolve) => setTimeout(resolve, 3000));
  });

  afterAll(async () => {
    await Promise.all([prometheus?.stop(), receiver?.stop()]);
  });

  it('finds Prometheus queries in the traffic and health dashboards', () => {
    const queries = panelQueries(readCommittedDashboards(), 'prometheus');
    expect(queries.length).toBeGreaterThanOrEqual(15);
    expect(new Set(queries.map((q) => q.where.split(' ')[0]))).toEqual(new Set(['receiver_health.json', 'traffic.json']));
  });

  it('returns data for every Prometheus query with all sources selected', async () => {
    const ctx = context();
    const empty: string[] = [];
    for (const query of panelQueries(readCommittedDashboards(), 'prometheus')) {
      if (!hasNumber(await run(query, ctx))) empty.push(`${query.where}: ${query.target.expr}`);
    }
    expect(empty).toEqual([]);
  });

  it('returns data for the queries filtered by one selected source', async () => {
    const ctx = context([SOURCE]);
    const filtered = panelQueries(readCommittedDashboards(), 'prometheus').filter((q) => q.target.expr?.includes('$source'));
    expect(filtered.length).toBeGreaterThanOrEqual(5);
    for (const query of filtered) expect(hasNumber(await run(query, ctx)), query.where).toBe(true);
  });

  it('returns nothing for a source that sent no traffic', async () => {
    const ctx = context(['web-2']);
    for (const query of panelQueries(readCommittedDashboards(), 'prometheus').filter((q) => q.target.expr?.includes('$source'))) {
      expect(await run(query, ctx), query.where).toEqual([]);
    }
  });

  it('lists the source of the traffic in the source variable', async () => {
    const variable = readCommittedDashboards().get('traffic.json')?.templating?.list?.find((v) => v.name === 'source');
    const match = /^label_values\((\w+), (\w+)\)$/.exec(String(variable?.query));
    expect(match).not.toBeNull();
    if (prometheus === undefined || match?.[1] === undefined || match[2] === undefined) throw new Error('prometheus did not start');
    const values = await prometheusApi(prometheus, `/api/v1/label/${match[2]}/values`, { 'match[]': match[1] }, 'GET');
    expect(values).toEqual([SOURCE]);
  });

  it('draws the threshold the receiver publishes and the alert state as Prometheus evaluates it', async () => {
    const threshold = await run(queryOf('Requests per second', 'C'));
    expect(threshold).toHaveLength(1);
    expect(lastValue(threshold[0])).toBe(THRESHOLD_RPS);
    expect(lastValue((await run(queryOf('Threshold')))[0])).toBe(THRESHOLD_RPS);

    expect(lastValue((await run(queryOf('2-minute average')))[0])).toBeGreaterThan(THRESHOLD_RPS);
    const state = await run(queryOf('HighTraffic alert'));
    expect(state.map((s) => s.metric['alertstate'])).toContain('firing');
  });

  it('splits requests by the sections of the demo log and by every status class', async () => {
    if (receiver === undefined) throw new Error('receiver did not start');
    const written = sectionsOf(await readFile(receiver.accessLog, 'utf8'));
    const top = (await run(queryOf('Top sections'))).map((s) => s.metric['section'] ?? '');
    // The demo site's busiest sections, present whatever the seed.
    expect(top).toEqual(expect.arrayContaining(['/static', '/api', '/pages', '/images']));
    expect(top.filter((section) => !written.has(section) && section !== 'other')).toEqual([]);
    const bytes = (await run(queryOf('Bytes per section'))).map((s) => s.metric['section'] ?? '');
    expect(bytes).toEqual(expect.arrayContaining(['/static', '/api', '/pages', '/images']));

    const classes = await run(queryOf('Responses by status class'));
    expect(classes.map((s) => s.metric['status_class']).sort()).toEqual(['2xx', '3xx', '4xx', '5xx']);
  });

  it('shows line outcomes, stored rows, no failure and the firing alert on the health dashboard', async () => {
    const lines = await run(queryOf('Lines by outcome'));
    expect(lines.map((s) => `${s.metric['source']} ${s.metric['outcome']}`).sort()).toEqual([
      `${SOURCE} invalid`,
      `${SOURCE} parsed`,
      `${SOURCE} truncated`,
    ]);
    const sinkRows = await run(queryOf('ClickHouse sink rows'));
    expect(sinkRows.map((s) => s.metric['outcome'])).toContain('written');
    expect(lastValue((await run(queryOf('Failed rows')))[0])).toBe(0);
    expect(lastValue((await run(queryOf('Sink queue')))[0])).toBeGreaterThanOrEqual(0);

    const lastEvent = await run(queryOf('Last event per source'));
    expect(lastEvent.map((s) => s.metric['source'])).toEqual([SOURCE]);
    // The demo writes every 125 ms with the wall clock: its newest event is seconds old at most.
    expect(lastValue(lastEvent[0])).toBeLessThan(30);

    const firing = await run(queryOf('Firing alerts'));
    expect(firing.map((s) => s.metric['alertname'])).toContain('HighTraffic');
  });
});
