import type { IdleFigure } from './idle_bench.js';
import type { MachineInfo } from './machine.js';
import type { ShipFigure } from './ship_bench.js';

/** One row of the results table; throughput rows have lines/s, latency rows their percentiles. */
export interface ResultRow {
  name: string;
  /** Lines measured (samples for the latency rows). */
  lines: number;
  /** Time taken (p99 for the latency rows). */
  seconds: number;
  linesPerSecond?: number;
  /** linesPerSecond divided by the ClickHouse Regexp row's. */
  vsClickHouseRegexp?: number;
  /** linesPerSecond divided by the GoAccess row's. */
  vsGoAccess?: number;
  p50Seconds?: number;
  p99Seconds?: number;
  peakRssBytes?: number;
  /** CPU time spent, where measured in-process. */
  cpuSeconds?: number;
  /** Set when the row could not be measured here (GoAccess not installed, --skip-latency). */
  skipped?: string;
  note?: string;
}

export interface Target {
  name: string;
  met: boolean;
  detail: string;
}

export interface BenchResults {
  generatedAt: string;
  machine: MachineInfo;
  lines: number;
  fileBytes: number;
  rows: ResultRow[];
  endToEnd: { storedRows: number; rowCountOk: boolean; peakRssBytes: number };
  /** CPU of a live receiver following files nobody writes to, by number of files. */
  idle: IdleFigure[];
  /** The agent while it ships the file and then idles; absent with --skip-ship. */
  ship?: ShipFigure;
  targets: Target[];
}

export const ROW_NAMES = {
  parse: 'parse only',
  endToEnd: 'end to end',
  goaccess: 'GoAccess',
  clickhouse: 'ClickHouse Regexp',
  latencyMetrics: 'latency to /metrics',
  latencyClickHouse: 'latency to ClickHouse',
  otlpIngest: 'OTLP/HTTP ingest, 10 clients',
  ship: 'logpulse ship (agent)',
} as const;

/** A throughput row; ratios are added once the reference rows are known (see `addRatios`). */
export function throughputRow(name: string, lines: number, seconds: number, extra: Partial<ResultRow> = {}): ResultRow {
  return { name, lines, seconds, linesPerSecond: seconds > 0 ? lines / seconds : 0, ...extra };
}

/** Fills in every throughput row's ratio against the ClickHouse Regexp and GoAccess rows. */
export function addRatios(rows: ResultRow[]): void {
  const reference = (name: string): number | undefined => rows.find((r) => r.name === name && r.skipped === undefined)?.linesPerSecond;
  const clickhouse = reference(ROW_NAMES.clickhouse);
  const goaccess = reference(ROW_NAMES.goaccess);
  for (const row of rows) {
    if (row.linesPerSecond === undefined || row.skipped !== undefined) continue;
    if (clickhouse) row.vsClickHouseRegexp = row.linesPerSecond / clickhouse;
    if (goaccess) row.vsGoAccess = row.linesPerSecond / goaccess;
  }
}

const MB = 1024 * 1024;

/** The goals the receiver is measured against. */
export function evaluateTargets(rows: readonly ResultRow[]): Target[] {
  const row = (name: string): ResultRow | undefined => rows.find((r) => r.name === name && r.skipped === undefined);
  const targets: Target[] = [];
  const e2e = row(ROW_NAMES.endToEnd);
  const parse = row(ROW_NAMES.parse);
  if (e2e?.vsClickHouseRegexp !== undefined) {
    targets.push({ name: 'end to end ≥ ClickHouse Regexp (single thread)', met: e2e.vsClickHouseRegexp >= 1, detail: `${ratio(e2e.vsClickHouseRegexp)}` });
  }
  if (e2e?.vsGoAccess !== undefined) targets.push({ name: 'end to end ≥ 15× GoAccess', met: e2e.vsGoAccess >= 15, detail: ratio(e2e.vsGoAccess) });
  if (parse?.linesPerSecond !== undefined) {
    targets.push({ name: 'parse only ≥ 1.5 M lines/s', met: parse.linesPerSecond >= 1.5e6, detail: `${rate(parse.linesPerSecond)} lines/s` });
  }
  if (e2e?.peakRssBytes !== undefined) {
    targets.push({ name: 'end-to-end peak RSS < 400 MB', met: e2e.peakRssBytes < 400 * MB, detail: `${(e2e.peakRssBytes / MB).toFixed(0)} MB` });
  }
  const latencyMetrics = row(ROW_NAMES.latencyMetrics);
  if (latencyMetrics?.p99Seconds !== undefined) {
    targets.push({ name: 'latency to /metrics p99 < 1 s', met: latencyMetrics.p99Seconds < 1, detail: `${latencyMetrics.p99Seconds.toFixed(3)} s` });
  }
  const latencyClickHouse = row(ROW_NAMES.latencyClickHouse);
  if (latencyClickHouse?.p99Seconds !== undefined) {
    targets.push({ name: 'latency to ClickHouse p99 < 2 s', met: latencyClickHouse.p99Seconds < 2, detail: `${latencyClickHouse.p99Seconds.toFixed(3)} s` });
  }
  return targets;
}

function shipLine(s: ShipFigure): string {
  return `agent shipping: ${s.cpuSeconds.toFixed(2)} s of CPU for ${rate(s.lines)} lines, peak RSS ${(s.peakRssBytes / MB).toFixed(0)} MB; ` +
    `idle: ${((100 * s.idleCpuSeconds) / s.idleSeconds).toFixed(2)} % of one core over ${s.idleSeconds} s, RSS ${(s.idleRssBytes / MB).toFixed(0)} MB`;
}

function rate(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function ratio(value: number | undefined): string {
  if (value === undefined) return '';
  return `${value >= 10 ? value.toFixed(1) : value.toFixed(2)}×`;
}

/** The results as a plain-text table, then the targets. */
export function formatTable(results: BenchResults): string {
  const header = ['', 'lines', 'seconds', 'lines/s', 'vs CH Regexp', 'vs GoAccess', 'notes'];
  const body = results.rows.map((r) =>
    r.skipped !== undefined
      ? [r.name, '', '', '', '', '', `skipped: ${r.skipped}`]
      : [r.name, rate(r.lines), r.seconds.toFixed(3), r.linesPerSecond === undefined ? '' : rate(r.linesPerSecond), ratio(r.vsClickHouseRegexp), ratio(r.vsGoAccess), r.note ?? ''],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  const m = results.machine;
  const out = [
    `logpulse bench: ${rate(results.lines)} combined lines (${(results.fileBytes / MB).toFixed(1)} MB)`,
    `machine: ${m.cpuModel}, ${m.cores} cores, Node ${m.node}, load ${m.loadAverageStart.toFixed(2)} → ${(m.loadAverageEnd ?? 0).toFixed(2)}`,
    '',
    line(header),
    ...body.map(line),
    '',
    ...results.idle.map((f) => `idle, ${rate(f.files)} files: ${f.percentOfOneCore.toFixed(2)} % of one core (${f.cpuSeconds.toFixed(2)} s of CPU over ${f.seconds} s)`),
    ...(results.ship === undefined ? [] : [shipLine(results.ship)]),
    '',
    ...results.targets.map((t) => `${t.met ? 'met    ' : 'NOT MET'}  ${t.name}: ${t.detail}`),
  ];
  return `${out.join('\n')}\n`;
}
