/**
 * The alert texts of DESIGN.md, shared by the terminal, the history file and `logpulse.alerts`.
 * Alertmanager's templates carry the same wording, so change them only together.
 */

/** Name of the high-traffic alert (the Prometheus rule of the same name). */
export const HIGH_TRAFFIC_ALERT = 'HighTraffic';

/** `{value}`: average requests per second, two decimals. */
export function formatAlertValue(valueRps: number): string {
  return valueRps.toFixed(2);
}

/** `{time}`: ISO-8601 UTC of the second, e.g. `2026-11-22T10:00:00.000Z`. */
export function formatAlertTime(atMs: number): string {
  return new Date(atMs).toISOString();
}

export function highTrafficMessage(valueRps: number, atMs: number): string {
  return `High traffic generated an alert - hits = ${formatAlertValue(valueRps)}, triggered at ${formatAlertTime(atMs)}`;
}

export function trafficRecoveredMessage(valueRps: number, atMs: number): string {
  return `Traffic recovered - hits = ${formatAlertValue(valueRps)}, recovered at ${formatAlertTime(atMs)}`;
}

/** Name of the silence alert (the Prometheus rule of the same name). */
export const SOURCE_SILENT_ALERT = 'SourceSilent';

/**
 * `{minutes}`: the silence threshold as a plain number, `5` or `0.5` (two decimals at most), the
 * way Alertmanager's template prints the rule's threshold divided by 60.
 */
export function formatAlertMinutes(minutes: number): string {
  return String(Number(minutes.toFixed(2)));
}

export function sourceSilentMessage(source: string, minutes: number): string {
  return `No logs received from ${source} for ${formatAlertMinutes(minutes)} minutes`;
}

export function sourceResumedMessage(source: string, atMs: number): string {
  return `Logs from ${source} resumed at ${formatAlertTime(atMs)}`;
}
