import type { Event } from '../model/event.js';
import type { ReceiverTelemetry } from '../model/telemetry.js';

const DAY_MS = 86_400_000;

/**
 * Keeps events dated within the retention and counts the others (`expired`), which are not
 * written at all. Dropping them before the insert, rather than leaving them to the table's TTL,
 * makes the stored count independent of when ClickHouse merges: rows the TTL would drop survive
 * in parts not merged yet, so a re-run or a crash in between used to leave an arbitrary count.
 *
 * It sits right before the sink, after the consumers: metrics, the alert and the terminal view
 * still count every line the server answered. Retention is a storage policy; replaying an old
 * log gives its alerts and its `/metrics` counts whether or not its rows are kept.
 */
export class RetentionFilter {
  private readonly retentionMs: number;

  constructor(
    retentionDays: number,
    private readonly telemetry: ReceiverTelemetry,
    private readonly now: () => number = Date.now,
  ) {
    this.retentionMs = retentionDays * DAY_MS;
  }

  /** The events of `source` within the retention: `events` itself when none is past it. */
  keep(source: string, events: Event[]): Event[] {
    const cutoff = this.now() - this.retentionMs;
    let first = 0;
    while (first < events.length && (events[first] as Event).ts >= cutoff) first++;
    if (first === events.length) return events;
    const kept = events.slice(0, first);
    for (let i = first + 1; i < events.length; i++) {
      const event = events[i] as Event;
      if (event.ts >= cutoff) kept.push(event);
    }
    this.telemetry.linesProcessed(source, 'expired', events.length - kept.length);
    return kept;
  }
}
