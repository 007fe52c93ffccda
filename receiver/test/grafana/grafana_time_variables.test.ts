import { describe, expect, it } from 'vitest';
import { expandPanelExpr, grafanaTimeVariables, roundInterval } from './grafana_prometheus_query.js';

/** The time variables Grafana's Prometheus data source puts into a query, for ranges the dashboards use. */
describe('Grafana time variables', () => {
  const HOUR_MS = 3_600_000;

  it('rounds a raw interval to the next value a person would pick', () => {
    expect(roundInterval(30)).toBe(20);
    expect(roundInterval(3_600)).toBe(5_000);
    expect(roundInterval(21_600)).toBe(20_000);
    expect(roundInterval(100_000)).toBe(120_000);
  });

  it('derives $__interval and $__rate_interval from the scrape interval of the compose stack over the last hour', () => {
    expect(grafanaTimeVariables({ fromMs: 0, toMs: HOUR_MS, scrapeIntervalSeconds: 5 })).toEqual({
      intervalMs: 5_000,
      interval: '5s',
      rateInterval: '20s',
      range: '3600s',
    });
  });

  it('widens $__rate_interval past four scrapes when $__interval grows over six hours', () => {
    expect(grafanaTimeVariables({ fromMs: 0, toMs: 6 * HOUR_MS, scrapeIntervalSeconds: 5 })).toMatchObject({
      interval: '20s',
      rateInterval: '25s',
      range: '21600s',
    });
  });

  it('keeps $__interval at the scrape interval over a range of seconds', () => {
    expect(grafanaTimeVariables({ fromMs: 0, toMs: 15_400, scrapeIntervalSeconds: 1 })).toEqual({
      intervalMs: 1_000,
      interval: '1s',
      rateInterval: '4s',
      range: '15s',
    });
  });

  it('expands every time variable and the source selection in a panel expression', () => {
    const ctx = { time: { fromMs: 0, toMs: HOUR_MS, scrapeIntervalSeconds: 5 }, variables: { source: ['web-1', 'web.2'] } };
    expect(
      expandPanelExpr('sum(rate(x{source=~"$source"}[$__rate_interval])) + sum(increase(x[$__range])) + avg_over_time(y[$__interval])', ctx),
    ).toBe('sum(rate(x{source=~"(web-1|web\\.2)"}[20s])) + sum(increase(x[3600s])) + avg_over_time(y[5s])');
  });

  it('refuses an expression with a variable it does not know', () => {
    const ctx = { time: { fromMs: 0, toMs: HOUR_MS, scrapeIntervalSeconds: 5 }, variables: { source: 'All' as const } };
    expect(() => expandPanelExpr('x[$__interval_unknown]', ctx)).toThrow(/unexpanded/);
  });
});
