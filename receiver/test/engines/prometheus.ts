import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EngineProcess, freeLoopbackPort, requireBinary } from './engine_process.js';

/**
 * Starts Debian's Prometheus (2.42) on a free loopback port with a temp directory, for tests that
 * need the real engine: scraping the receiver, evaluating logpulse's rules, sending to Alertmanager.
 */
export const PROMETHEUS_BIN = '/usr/bin/prometheus';
export const PROMTOOL_BIN = '/usr/bin/promtool';

// Also exported from here, where the rules and end-to-end tests import them.
export { EngineProcess, freeLoopbackPort, requireBinary };

export interface PrometheusOptions {
  /** Files to write into the server's directory, by relative path: at least `prometheus.yml`. */
  files: Record<string, string>;
}

export interface PrometheusHandle {
  readonly url: string;
  readonly port: number;
  /** The directory holding the config files and the TSDB. */
  readonly dir: string;
  /** Instant query; returns the API's `data.result`. */
  query(expr: string): Promise<PromSample[]>;
  /** Active alerts as `/api/v1/alerts` lists them. */
  alerts(): Promise<PromAlert[]>;
  /** Rewrites files in `dir` and reloads the configuration (POST /-/reload). */
  reload(files?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
  value: string;
}

async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

async function api<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`prometheus ${url}: ${body.error ?? response.status}`);
  return body.data;
}

export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusHandle> {
  const bin = requireBinary(PROMETHEUS_BIN, 'prometheus');
  const dir = await mkdtemp(join(tmpdir(), 'logpulse-prometheus-'));
  await writeFiles(dir, options.files);
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const process = new EngineProcess(
    'prometheus',
    bin,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
    ],
    join(dir, 'prometheus.log'),
  );
  await process.waitReadyOrDiscard(`${url}/-/ready`, dir);
  return {
    url,
    port,
    dir,
    query: (expr) => api<{ result: PromSample[] }>(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`).then((d) => d.result),
    alerts: () => api<{ alerts: PromAlert[] }>(`${url}/api/v1/alerts`).then((d) => d.alerts),
    async reload(files = {}) {
      await writeFiles(dir, files);
      const response = await fetch(`${url}/-/reload`, { method: 'POST' });
      if (response.status !== 200) throw new Error(`prometheus reload: HTTP ${response.status}: ${await response.text()}`);
    },
    async stop() {
      await process.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The repository's prometheus/ folder. */
export const PROMETHEUS_REPO_DIR = new URL('../../../prometheus/', import.meta.url).pathname;

export interface LogpulsePrometheusOptions {
  /** host:port of the receiver's metrics server. */
  receiverTarget: string;
  /** host:port of an Alertmanager; none: alerts are only evaluated. */
  alertmanagerTarget?: string;
  /** Scrape and evaluation interval. @default 1 */
  intervalSeconds?: number;
  /** Replaces logpulse:source_silent_threshold_seconds (rules/logpulse_parameters.yml). @default the file's 300 */
  sourceSilentThresholdSeconds?: number;
}

/**
 * The repository's Prometheus configuration and rules, pointed at test addresses. Only the
 * targets, the intervals and (optionally) the parameters file change; the rules are the real ones.
 */
export async function logpulsePrometheusFiles(options: LogpulsePrometheusOptions): Promise<Record<string, string>> {
  const { parse, stringify } = await import('yaml');
  const interval = `${options.intervalSeconds ?? 1}s`;
  const config = parse(readFileSync(join(PROMETHEUS_REPO_DIR, 'prometheus.yml'), 'utf8')) as {
    global: Record<string, unknown>;
    alerting?: unknown;
    scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }>;
  };
  config.global['scrape_interval'] = interval;
  config.global['scrape_timeout'] = interval;
  config.global['evaluation_interval'] = interval;
  const job = config.scrape_configs.find((c) => c.job_name === 'logpulse');
  if (job === undefined) throw new Error('prometheus/prometheus.yml: no job named logpulse');
  job.static_configs = [{ targets: [options.receiverTarget] }];
  if (options.alertmanagerTarget === undefined) delete config.alerting;
  else config.alerting = { alertmanagers: [{ static_configs: [{ targets: [options.alertmanagerTarget] }] }] };

  const files: Record<string, string> = { 'prometheus.yml': stringify(config) };
  for (const name of ['logpulse.yml', 'logpulse_parameters.yml']) {
    files[`rules/${name}`] = readFileSync(join(PROMETHEUS_REPO_DIR, 'rules', name), 'utf8');
  }
  if (options.sourceSilentThresholdSeconds !== undefined) {
    files['rules/logpulse_parameters.yml'] = stringify({
      groups: [
        {
          name: 'logpulse-parameters',
          rules: [{ record: 'logpulse:source_silent_threshold_seconds', expr: `vector(${options.sourceSilentThresholdSeconds})` }],
        },
      ],
    });
  }
  return files;
}
