import type { ReportRow, ReportWindow } from './report_query.js';

export const REPORT_FORMATS = ['table', 'csv', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const COLUMNS: ReadonlyArray<{ key: keyof ReportRow; title: string; numeric: boolean }> = [
  { key: 'period', title: 'period', numeric: false },
  { key: 'source', title: 'source', numeric: false },
  { key: 'lines', title: 'lines', numeric: true },
  { key: 'events', title: 'events', numeric: true },
  { key: 'bytes', title: 'bytes', numeric: true },
  { key: 'invalid', title: 'invalid', numeric: true },
  { key: 'silentPeriods', title: 'silent_periods', numeric: true },
  { key: 'alerts', title: 'alerts', numeric: true },
];

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The sums of every numeric column, in a row whose period is `total`. */
function totalRow(rows: readonly ReportRow[]): ReportRow {
  const total: ReportRow = { period: 'total', source: '', lines: 0, events: 0, bytes: 0, invalid: 0, silentPeriods: 0, alerts: 0 };
  for (const r of rows) {
    total.lines += r.lines;
    total.events += r.events;
    total.bytes += r.bytes;
    total.invalid += r.invalid;
    total.silentPeriods += r.silentPeriods;
    total.alerts += r.alerts;
  }
  return total;
}

function heading(window: ReportWindow): string {
  return `logpulse report ${iso(window.fromMs)} .. ${iso(window.toMs)}, by ${window.by}`;
}

/** Aligned columns for a terminal, numbers on the right, a total line at the end. */
function table(rows: readonly ReportRow[], window: ReportWindow): string {
  if (rows.length === 0) return `${heading(window)}\nnothing stored in this window\n`;
  const all = [...rows, totalRow(rows)];
  const cells = all.map((r) => COLUMNS.map((c) => String(r[c.key])));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: readonly string[]): string =>
    values.map((v, i) => (COLUMNS[i]!.numeric ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const body = cells.slice(0, -1).map(line);
  return [heading(window), line(COLUMNS.map((c) => c.title)), rule, ...body, rule, line(cells[cells.length - 1]!), ''].join('\n');
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csv(rows: readonly ReportRow[]): string {
  const lines = [COLUMNS.map((c) => c.title).join(',')];
  for (const r of rows) lines.push(COLUMNS.map((c) => csvField(String(r[c.key]))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function json(rows: readonly ReportRow[], window: ReportWindow): string {
  const out = rows.map((r) => Object.fromEntries(COLUMNS.map((c) => [c.title, r[c.key]])));
  return `${JSON.stringify({ from: iso(window.fromMs), to: iso(window.toMs), by: window.by, rows: out }, null, 2)}\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** One self-contained page (inline styles only: mail clients drop style sheets and scripts). */
function html(rows: readonly ReportRow[], window: ReportWindow): string {
  const cell = 'style="padding:2px 8px;border-bottom:1px solid #ddd"';
  const num = 'style="padding:2px 8px;border-bottom:1px solid #ddd;text-align:right"';
  const tr = (r: ReportRow, tag: 'td' | 'th'): string =>
    `<tr>${COLUMNS.map((c) => `<${tag} ${c.numeric ? num : cell}>${escapeHtml(String(r[c.key]))}</${tag}>`).join('')}</tr>`;
  const head = `<tr>${COLUMNS.map((c) => `<th ${c.numeric ? num : cell}>${c.title}</th>`).join('')}</tr>`;
  const body = rows.length === 0
    ? `<tr><td colspan="${COLUMNS.length}" ${cell}>nothing stored in this window</td></tr>`
    : [...rows.map((r) => tr(r, 'td')), tr(totalRow(rows), 'th')].join('\n');
  const title = escapeHtml(heading(window));
  return [
    '<!DOCTYPE html>',
    `<html><head><meta charset="utf-8"><title>${title}</title></head>`,
    '<body style="font-family:sans-serif;font-size:14px">',
    `<h2 style="font-size:16px">${title}</h2>`,
    '<table style="border-collapse:collapse">',
    head,
    body,
    '</table>',
    '</body></html>',
    '',
  ].join('\n');
}

/** The report in one of its formats. */
export function formatReport(rows: readonly ReportRow[], window: ReportWindow, format: ReportFormat): string {
  switch (format) {
    case 'table':
      return table(rows, window);
    case 'csv':
      return csv(rows);
    case 'json':
      return json(rows, window);
    case 'html':
      return html(rows, window);
  }
}
