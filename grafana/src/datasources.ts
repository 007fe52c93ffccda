/**
 * The data sources the dashboards read, by the uids grafana/provisioning/datasources/datasources.yml
 * gives them. A dashboard names a data source only through these constants, so renaming one here
 * and in the provisioning file is the whole change.
 */

export const PROMETHEUS = { type: 'prometheus', uid: 'logpulse-prometheus' } as const;

export const CLICKHOUSE = { type: 'grafana-clickhouse-datasource', uid: 'logpulse-clickhouse' } as const;

export const ALERTMANAGER = { type: 'alertmanager', uid: 'logpulse-alertmanager' } as const;

/** Every data source uid the provisioning defines. */
export const DATASOURCE_UIDS: readonly string[] = [PROMETHEUS.uid, CLICKHOUSE.uid, ALERTMANAGER.uid];
