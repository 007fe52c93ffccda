import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DATASOURCE_UIDS, buildDashboards, dashboardJson, writeDashboards } from '../../../grafana/src/index.js';
import { DASHBOARDS_DIR, dataPanels, readCommittedDashboards } from './dashboard_walk.js';
import type { DataSourceRef } from './dashboard_walk.js';

const PROVISIONING = new URL('../../../grafana/provisioning/', import.meta.url).pathname;

interface ProvisionedDataSource {
  name: string;
  uid: string;
  type: string;
  url?: string;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, unknown>;
}

function provisionedDataSources(): ProvisionedDataSource[] {
  const file = parse(readFileSync(join(PROVISIONING, 'datasources/datasources.yml'), 'utf8')) as {
    apiVersion: number;
    datasources: ProvisionedDataSource[];
  };
  expect(file.apiVersion).toBe(1);
  return file.datasources;
}

describe('dashboards as code', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logpulse-dashboards-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('commits exactly the JSON the code generates (run `npm run dashboards` after a change)', async () => {
    const written = await writeDashboards(dir);
    expect(written.map((p) => p.slice(dir.length + 1)).sort()).toEqual(
      (await readdir(DASHBOARDS_DIR)).filter((f) => f.endsWith('.json')).sort(),
    );
    for (const path of written) {
      const file = path.slice(dir.length + 1);
      expect(await readFile(join(DASHBOARDS_DIR, file), 'utf8'), `grafana/dashboards/${file}`).toBe(await readFile(path, 'utf8'));
    }
  });

  it('writes the same bytes on every run, keys sorted', () => {
    const first = buildDashboards().map((d) => dashboardJson(d.dashboard));
    const second = buildDashboards().map((d) => dashboardJson(d.dashboard));
    expect(second).toEqual(first);
    const keys = Object.keys(JSON.parse(first[0] ?? '{}') as object);
    expect(keys).toEqual([...keys].sort());
  });

  it('gives every dashboard its own uid and title', () => {
    const dashboards = [...readCommittedDashboards().values()];
    expect(dashboards.map((d) => d.uid).sort()).toEqual(['logpulse-health', 'logpulse-logs', 'logpulse-site-report', 'logpulse-traffic', 'logpulse-user-activity']);
    expect(new Set(dashboards.map((d) => d.title)).size).toBe(dashboards.length);
  });

  it('gives every panel at least one query and a title', () => {
    for (const [file, dashboard] of readCommittedDashboards()) {
      const panels = dataPanels(dashboard);
      expect(panels.length, file).toBeGreaterThan(3);
      for (const panel of panels) {
        expect(panel.title, `${file}: panel without title`).not.toBe('');
        expect(panel.targets?.length ?? 0, `${file} "${panel.title}" has no query`).toBeGreaterThan(0);
        const refIds = (panel.targets ?? []).map((t) => t.refId);
        expect(new Set(refIds).size, `${file} "${panel.title}" repeats a refId`).toBe(refIds.length);
      }
    }
  });

  it('links the traffic panels to the raw lines of their time range and source', () => {
    const dashboards = readCommittedDashboards();
    expect([...dashboards.values()].some((d) => d.uid === 'logpulse-logs')).toBe(true);
    const traffic = dataPanels(dashboards.get('traffic.json') ?? { uid: '', title: '', panels: [] }).filter((p) => p.type === 'timeseries');
    expect(traffic.length).toBeGreaterThanOrEqual(4);
    for (const panel of traffic) {
      const links = (panel as { links?: Array<{ url?: string }> }).links ?? [];
      expect(links.map((l) => l.url), panel.title).toContain('/d/logpulse-logs/logpulse-logs?${__url_time_range}&${source:queryparam}');
    }
  });

  it('names only data sources that provisioning defines, with their type', () => {
    const byUid = new Map(provisionedDataSources().map((d) => [d.uid, d.type]));
    expect([...byUid.keys()].sort()).toEqual([...DATASOURCE_UIDS].sort());
    const check = (ref: DataSourceRef | undefined, where: string): void => {
      if (ref === undefined) return;
      expect(ref.uid, `${where}: data source without uid`).toBeDefined();
      expect(byUid.has(ref.uid ?? ''), `${where}: uid ${String(ref.uid)} is not provisioned`).toBe(true);
      expect(ref.type, `${where}: type of ${String(ref.uid)}`).toBe(byUid.get(ref.uid ?? ''));
    };
    let refs = 0;
    for (const [file, dashboard] of readCommittedDashboards()) {
      for (const panel of dataPanels(dashboard)) {
        check(panel.datasource, `${file} "${panel.title}"`);
        for (const target of panel.targets ?? []) {
          expect(target.datasource ?? panel.datasource, `${file} "${panel.title}" ${target.refId}`).toBeDefined();
          check(target.datasource, `${file} "${panel.title}" ${target.refId}`);
          refs++;
        }
      }
      for (const variable of dashboard.templating?.list ?? []) {
        if (variable.type === 'query') expect(variable.datasource, `${file} $${variable.name}`).toBeDefined();
        check(variable.datasource, `${file} $${variable.name}`);
      }
    }
    expect(refs).toBeGreaterThan(20);
  });
});

describe('grafana provisioning', () => {
  it('defines Prometheus, ClickHouse and Alertmanager at their compose addresses', () => {
    const sources = new Map(provisionedDataSources().map((d) => [d.uid, d]));
    const prometheus = sources.get('logpulse-prometheus');
    expect(prometheus).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
    expect(prometheus?.jsonData).toMatchObject({ manageAlerts: true, alertmanagerUid: 'logpulse-alertmanager' });

    const clickhouse = sources.get('logpulse-clickhouse');
    expect(clickhouse?.type).toBe('grafana-clickhouse-datasource');
    expect(clickhouse?.jsonData).toMatchObject({ host: 'clickhouse', port: 8123, protocol: 'http', username: '${CLICKHOUSE_USER}' });
    expect(clickhouse?.secureJsonData).toEqual({ password: '${CLICKHOUSE_PASSWORD}' });

    expect(sources.get('logpulse-alertmanager')).toMatchObject({
      type: 'alertmanager',
      url: 'http://alertmanager:9093',
      jsonData: { implementation: 'prometheus' },
    });
  });

  it('loads the dashboards from the folder compose mounts the generated JSON into', () => {
    const file = parse(readFileSync(join(PROVISIONING, 'dashboards/dashboards.yml'), 'utf8')) as {
      providers: Array<{ type: string; options: { path: string } }>;
    };
    expect(file.providers).toHaveLength(1);
    expect(file.providers[0]).toMatchObject({ type: 'file', options: { path: '/var/lib/grafana/dashboards' } });
  });
});
