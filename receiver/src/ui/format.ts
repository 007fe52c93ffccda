/** Numbers and times for people: `1.2 MB`, `12.3 req/s`, `1,234`, `10:00:10`. */

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;

/** Decimal units, one decimal below 100 (`999 B`, `1.2 kB`, `12.3 MB`, `123 GB`). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1000) return `${Math.max(0, Math.round(bytes || 0))} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 999.95 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value < 99.95 ? value.toFixed(1) : value.toFixed(0)} ${BYTE_UNITS[unit]}`;
}

/** Requests per second with one decimal: `12.3 req/s`. */
export function formatRate(perSecond: number): string {
  return `${perSecond.toFixed(1)} req/s`;
}

const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A count with thousands separators: `1,234,567`. */
export function formatCount(count: number): string {
  return COUNT.format(count);
}

/** `HH:MM:SS` in UTC (the times in alert texts are UTC too). */
export function formatClock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** `YYYY-MM-DD` in UTC. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The span of a period: `2026-11-22 10:00:00 - 10:00:10 UTC`, the end's date added when it differs. */
export function formatSpan(startMs: number, endMs: number): string {
  const endDate = formatDate(endMs) === formatDate(startMs) ? '' : `${formatDate(endMs)} `;
  return `${formatDate(startMs)} ${formatClock(startMs)} - ${endDate}${formatClock(endMs)} UTC`;
}

/** Whole percent of `part` in `whole`, floored so 100% means done. */
export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return '100%';
  return `${Math.floor((Math.min(part, whole) / whole) * 100)}%`;
}
