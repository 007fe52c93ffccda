import type { PrometheusHandle } from '../engines/prometheus.js';
import type { TargetJson } from './dashboard_walk.js';
import { expandPromQl } from './grafana_macros.js';
import type { Selection } from './grafana_macros.js';

/**
 * A dashboard query sent to Prometheus as Grafana's Prometheus data source sends it: the time
 * variables derived from the dashboard's time range and the data source's scrape interval, the
 * dashboard variables expanded, then an instant query at the range's end or a range query
 * stepping by `$__interval`.
 */

export interface GrafanaTimeRange {
  fromMs: number;
  toMs: number;
  /** The data source's `timeInterval` (Prometheus' scrape interval), in seconds. */
  scrapeIntervalSeconds: number;
  /** The panel's data points at most; Grafana uses the panel's width in pixels. @default 1000 */
  maxDataPoints?: number;
}

export interface GrafanaTimeVariables {
  /** $__interval, in milliseconds: the range query's step too. */
  intervalMs: number;
  /** $__interval as Grafana writes it into a query, e.g. `1s`. */
  interval: string;
  /** $__rate_interval, e.g. `4s`. */
  rateInterval: string;
  /** $__range, whole seconds, e.g. `37s`. */
  range: string;
}

/**
 * Grafana's `rangeutil.roundInterval`: the raw interval (range / data points) rounded to a value
 * a person would pick, in milliseconds.
 */
const ROUNDED_INTERVALS_MS: ReadonlyArray<readonly [below: number, rounded: number]> = [
  [15, 10], [35, 20], [75, 50], [150, 100], [350, 200], [750, 500], [1_500, 1_000], [3_500, 2_000],
  [7_500, 5_000], [12_500, 10_000], [17_500, 15_000], [25_000, 20_000], [45_000, 30_000], [90_000, 60_000],
  [210_000, 120_000], [450_000, 300_000], [750_000, 600_000], [1_050_000, 900_000], [1_500_000, 1_200_000],
  [2_700_000, 1_800_000], [5_400_000, 3_600_000], [9_000_000, 7_200_000], [16_200_000, 10_800_000],
  [32_400_000, 21_600_000], [86_400_000, 43_200_000], [604_800_000, 86_400_000], [1_814_400_000, 604_800_000],
  [3_628_800_000, 2_592_000_000],
];

export function roundInterval(ms: number): number {
  return ROUNDED_INTERVALS_MS.find(([below]) => ms < below)?.[1] ?? 31_536_000_000;
}

/** Grafana's interval string: the largest unit that divides the interval exactly (`90s` stays `90s`). */
function intervalText(ms: number): string {
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/**
 * `$__interval`: the range over the data points, rounded, never below the scrape interval.
 * `$__rate_interval`: max($__interval + scrape interval, 4 x scrape interval), so a rate() window
 * always holds several scrapes. `$__range`: the time range in whole seconds.
 */
export function grafanaTimeVariables(range: GrafanaTimeRange): GrafanaTimeVariables {
  const spanMs = range.toMs - range.fromMs;
  const scrapeMs = range.scrapeIntervalSeconds * 1000;
  const intervalMs = Math.max(roundInterval(spanMs / (range.maxDataPoints ?? 1000)), scrapeMs);
  const rateIntervalS = Math.max(intervalMs / 1000 + range.scrapeIntervalSeconds, 4 * range.scrapeIntervalSeconds);
  return {
    intervalMs,
    interval: intervalText(intervalMs),
    rateInterval: `${rateIntervalS}s`,
    range: `${Math.round(spanMs / 1000)}s`,
  };
}

/** One series of a query's answer: `values` for a range query, `value` for an instant one. */
export interface Series {
  metric: Record<string, string>;
  values?: Array<[number, string]>;
  value?: [number, string];
}

export interface PanelQueryContext {
  time: GrafanaTimeRange;
  variables: Record<string, Selection>;
}

/** The query's text as it reaches Prometheus. */
export function expandPanelExpr(expr: string, ctx: PanelQueryContext): string {
  const time = grafanaTimeVariables(ctx.time);
  const withInterval = expr.replace(/\$__interval\b/g, time.interval);
  return expandPromQl(withInterval, { rateInterval: time.rateInterval, range: time.range, variables: ctx.variables });
}

/**
 * A call of Prometheus' HTTP API. Queries go as POST forms, as the data source sends them
 * (`httpMethod: POST` in grafana/provisioning); the label endpoints answer GET only.
 */
export async function prometheusApi(
  prometheus: PrometheusHandle,
  path: string,
  params: Record<string, string>,
  method: 'GET' | 'POST' = 'POST',
): Promise<unknown> {
  const form = new URLSearchParams(params).toString();
  const response =
    method === 'GET'
      ? await fetch(`${prometheus.url}${path}?${form}`)
      : await fetch(`${prometheus.url}${path}`, {
          method,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: form,
        });
  const text = await response.text();
  let body: { status?: string; data?: unknown; error?: string };
  try {
    body = JSON.parse(text) as typeof body;
  } catch (cause) {
    throw new Error(`prometheus ${method} ${path}: HTTP ${response.status}: ${text.slice(0, 200)}`, { cause });
  }
  if (body.status !== 'success') throw new Error(`prometheus ${method} ${path} ${JSON.stringify(params)}: ${body.error ?? response.status}`);
  return body.data;
}

/**
 * Runs one panel target. Instant targets are evaluated at the range's end; range targets from its
 * start to its end, both aligned to the step as Grafana aligns them.
 */
export async function runPanelTarget(prometheus: PrometheusHandle, target: TargetJson, ctx: PanelQueryContext): Promise<Series[]> {
  const query = expandPanelExpr(target.expr ?? '', ctx);
  const { intervalMs } = grafanaTimeVariables(ctx.time);
  const stepS = intervalMs / 1000;
  const data = target.instant
    ? await prometheusApi(prometheus, '/api/v1/query', { query, time: String(ctx.time.toMs / 1000) })
    : await prometheusApi(prometheus, '/api/v1/query_range', {
        query,
        start: String(Math.floor(ctx.time.fromMs / 1000 / stepS) * stepS),
        end: String(Math.floor(ctx.time.toMs / 1000 / stepS) * stepS),
        step: String(stepS),
      });
  return (data as { result: Series[] }).result;
}

/** True when some series holds at least one number: what a panel needs to draw anything. */
export function hasNumber(series: Series[]): boolean {
  return series.some((s) => [...(s.values ?? []), ...(s.value ? [s.value] : [])].some(([, v]) => Number.isFinite(Number(v))));
}

/** The newest value of a series, whether the answer was instant or a range. */
export function lastValue(series: Series | undefined): number {
  const point = series?.value ?? series?.values?.at(-1);
  return Number(point?.[1]);
}
