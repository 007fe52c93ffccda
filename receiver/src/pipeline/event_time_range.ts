/**
 * The event times the pipeline accepts: 1970-01-01 to the end of 2199 (UTC). `ts` is a
 * DateTime64(3) column, but the table's sort key (`toStartOfHour`), saved queries' `DateTime`
 * parameters and dashboards work on 1970 onwards, and a time centuries ahead is a broken clock, not
 * an event. A line dated outside this range is counted invalid with this reason instead of being
 * stored at a clamped time that never happened.
 */
export const MIN_EVENT_MS = 0;
/** 2200-01-01T00:00:00Z, exclusive. */
export const END_EVENT_MS = 7_258_118_400_000;

export const TIMESTAMP_OUT_OF_RANGE = 'timestamp out of range (1970 to 2199)';

/** True when `ts` (epoch milliseconds) can be stored as the event's own time. */
export function inEventTimeRange(ts: number): boolean {
  return ts >= MIN_EVENT_MS && ts < END_EVENT_MS;
}
