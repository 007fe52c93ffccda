import { readdirSync, readFileSync } from 'node:fs';

/** The committed dashboards, read as Grafana reads them: JSON files in grafana/dashboards. */
export const DASHBOARDS_DIR = new URL('../../../grafana/dashboards/', import.meta.url).pathname;

export interface DashboardJson {
  uid: string;
  title: string;
  panels: PanelJson[];
  templating?: { list?: VariableJson[] };
}

export interface DataSourceRef {
  type?: string;
  uid?: string;
}

export interface PanelJson {
  type: string;
  title: string;
  datasource?: DataSourceRef;
  targets?: TargetJson[];
  panels?: PanelJson[];
}

export interface TargetJson {
  refId: string;
  datasource?: DataSourceRef;
  expr?: string;
  instant?: boolean;
  range?: boolean;
  format?: string | number;
  rawSql?: string;
}

export interface VariableJson {
  name: string;
  type: string;
  datasource?: DataSourceRef;
  query?: unknown;
}

/** One query of one panel, with where it comes from for failure messages. */
export interface PanelQuery {
  where: string;
  target: TargetJson;
}

export function readCommittedDashboards(): Map<string, DashboardJson> {
  const dashboards = new Map<string, DashboardJson>();
  for (const file of readdirSync(DASHBOARDS_DIR).filter((f) => f.endsWith('.json')).sort()) {
    dashboards.set(file, JSON.parse(readFileSync(DASHBOARDS_DIR + file, 'utf8')) as DashboardJson);
  }
  return dashboards;
}

/** Every panel that shows data (rows are layout), including those inside collapsed rows. */
export function dataPanels(dashboard: DashboardJson): PanelJson[] {
  const flat = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  return flat.filter((p) => p.type !== 'row');
}

export function panelQueries(dashboards: Map<string, DashboardJson>, datasourceType: string): PanelQuery[] {
  const queries: PanelQuery[] = [];
  for (const [file, dashboard] of dashboards) {
    for (const panel of dataPanels(dashboard)) {
      for (const target of panel.targets ?? []) {
        const type = target.datasource?.type ?? panel.datasource?.type;
        if (type === datasourceType) queries.push({ where: `${file} "${panel.title}" ${target.refId}`, target });
      }
    }
  }
  return queries;
}
