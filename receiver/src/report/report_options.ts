import { ConfigError } from '../config/config_error.js';
import type { ReportBucket, ReportWindow } from './report_query.js';

const SPAN = /^(\d+(?:\.\d+)?)\s*(m|h|d)$/;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since 1h` (minutes, hours or days back from `--until`) and `--until` (an ISO-8601 time, default now). */
export function reportWindow(since: string, until: string | undefined, by: ReportBucket, now: number): ReportWindow {
  const match = SPAN.exec(since.trim());
  const spanMs = match ? Number(match[1]) * (UNIT_MS[match[2]!] ?? 0) : Number.NaN;
  if (!(Number.isFinite(spanMs) && spanMs > 0)) {
    throw new ConfigError(`--since: expected a span back from now like 90m, 1h or 7d, got ${JSON.stringify(since)}`);
  }
  const toMs = until === undefined ? now : Date.parse(until);
  if (!Number.isFinite(toMs)) throw new ConfigError(`--until: expected an ISO-8601 time like 2026-11-22T12:00:00Z, got ${JSON.stringify(until)}`);
  return { fromMs: toMs - spanMs, toMs, by };
}
