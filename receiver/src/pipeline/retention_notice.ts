import type { Logger } from 'pino';
import type { EventConsumer } from './consumer.js';
import type { Event } from './event.js';

const DAY_MS = 86_400_000;

/**
 * Says so when events are older than the store's retention: ClickHouse's TTL drops them as they
 * arrive, which would otherwise look like lines lost. Logged at most once per `intervalMs`.
 */
export class RetentionNotice implements EventConsumer {
  private lastLogged = -Infinity;
  private expired = 0;

  constructor(
    private readonly logger: Logger,
    private readonly retentionDays: number,
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  consume(events: readonly Event[]): void {
    const cutoff = this.now() - this.retentionDays * DAY_MS;
    let oldest = Infinity;
    let count = 0;
    for (const event of events) {
      if (event.ts < cutoff) {
        count++;
        if (event.ts < oldest) oldest = event.ts;
      }
    }
    if (count === 0) return;
    this.expired += count;
    const t = this.now();
    if (t - this.lastLogged < this.intervalMs) return;
    this.lastLogged = t;
    this.logger.warn(
      { events: this.expired, oldest: new Date(oldest).toISOString(), retentionDays: this.retentionDays },
      'events older than the retention are dropped by the ClickHouse TTL (raise --retention-days to keep them)',
    );
    this.expired = 0;
  }
}
