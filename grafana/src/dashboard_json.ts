import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { logsDashboard } from './logs_dashboard.js';
import { receiverHealthDashboard } from './receiver_health_dashboard.js';
import { siteReportDashboard } from './site_report_dashboard.js';
import { trafficDashboard } from './traffic_dashboard.js';
import { userActivityDashboard } from './user_activity_dashboard.js';

/** One dashboard and the file it is provisioned from (grafana/dashboards/<file>). */
export interface DashboardFile {
  file: string;
  dashboard: Dashboard;
}

const BUILDERS: ReadonlyArray<readonly [file: string, build: () => DashboardBuilder]> = [
  ['traffic.json', trafficDashboard],
  ['user_activity.json', userActivityDashboard],
  ['receiver_health.json', receiverHealthDashboard],
  ['site_report.json', siteReportDashboard],
  ['logs.json', logsDashboard],
];

/** Every dashboard, built. */
export function buildDashboards(): DashboardFile[] {
  return BUILDERS.map(([file, build]) => ({ file, dashboard: build().build() }));
}

/** Sorts object keys at every depth; arrays keep their order (panel order is layout). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

/**
 * The committed form of a dashboard: keys sorted, two-space indent, a final newline, so that the same
 * code always writes the same bytes and a diff shows only what changed.
 */
export function dashboardJson(dashboard: Dashboard): string {
  // The round trip drops what JSON cannot hold (the SDK's marker methods, undefined fields).
  return `${JSON.stringify(sortKeys(JSON.parse(JSON.stringify(dashboard))), null, 2)}\n`;
}
