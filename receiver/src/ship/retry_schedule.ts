/**
 * When to try a refused export request again. Exponential backoff with jitter (half the delay
 * fixed, half random, so that agents cut off together do not come back together), capped; a
 * server's `Retry-After` (seconds or an HTTP date) wins over the schedule, within
 * `maxRetryAfterMs` so that a wrong header cannot park the agent for a day.
 */
export interface RetrySchedule {
  initialMs: number;
  maxMs: number;
  maxRetryAfterMs: number;
  /** In [0, 1). @default Math.random */
  random?: () => number;
}

export function backoffMs(attempt: number, schedule: RetrySchedule): number {
  const full = Math.min(schedule.maxMs, schedule.initialMs * 2 ** Math.min(attempt, 30));
  const random = schedule.random ?? Math.random;
  return Math.round(full / 2 + (full / 2) * random());
}

/** The delay before the next attempt: the server's wish when it gave one, else the backoff. */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, schedule: RetrySchedule): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, schedule.maxRetryAfterMs);
  return backoffMs(attempt, schedule);
}

/** `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
