import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PROMETHEUS } from './datasources.js';

/** A PromQL range query on the provisioned Prometheus, one series per `legend` ({{label}} templates). */
export function promRange(refId: string, expr: string, legend: string): DataqueryBuilder {
  return new DataqueryBuilder().refId(refId).datasource(PROMETHEUS).expr(expr).legendFormat(legend).range();
}

/** A PromQL instant query read as a table: one row per series, its labels as columns. */
export function promTable(refId: string, expr: string): DataqueryBuilder {
  return new DataqueryBuilder()
    .refId(refId)
    .datasource(PROMETHEUS)
    .expr(expr)
    .legendFormat('__auto')
    .instant()
    .format(PromQueryFormat.Table);
}

/** A PromQL instant query for a stat panel. */
export function promInstant(refId: string, expr: string, legend: string): DataqueryBuilder {
  return new DataqueryBuilder().refId(refId).datasource(PROMETHEUS).expr(expr).legendFormat(legend).instant();
}
