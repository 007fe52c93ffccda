import type { ObservableResult } from '@opentelemetry/api';
import type { Event } from '../model/event.js';
import type { EventConsumer } from '../pipeline/consumer.js';
import type { Instruments } from './instruments.js';
import { directionIndex, methodIndex, protocolIndex, statusClassIndex } from './metric_labels.js';
import { PendingAdds } from './pending_adds.js';
import type { SectionLimiter } from './section_limiter.js';
import { SourceLimiter } from './source_limiter.js';
import { SourceTallies } from './source_tallies.js';

/**
 * Turns parsed events into counter increments. Events are counted into per-source tables indexed
 * by small label numbers; the counters get the sums at the start of each collection, one `add`
 * per label set, instead of one (hashed by the SDK) per event.
 *
 * The hook is the callback of the last-event gauge: the SDK runs every observable callback of a
 * collection before it reads the synchronous instruments, so a scrape or an OTLP export (also the
 * last one, at shutdown) sees every event consumed before it.
 */
export class EventMetrics implements EventConsumer {
  private readonly sources = new Map<string, SourceTallies>();
  private readonly requests: PendingAdds;
  private readonly responseBytes: PendingAdds;
  private readonly transfers: PendingAdds;
  private readonly transferBytes: PendingAdds;
  private batches = 0;

  constructor(
    instruments: Instruments,
    private readonly sections: SectionLimiter,
    private readonly sourceLabels: SourceLimiter = new SourceLimiter(Number.MAX_SAFE_INTEGER),
  ) {
    this.requests = new PendingAdds(instruments.httpRequests);
    this.responseBytes = new PendingAdds(instruments.httpResponseBytes);
    this.transfers = new PendingAdds(instruments.transfers);
    this.transferBytes = new PendingAdds(instruments.transferBytes);
    instruments.sourceLastEventTimestamp.addCallback((result) => this.collect(result));
  }

  consume(events: readonly Event[]): void {
    const batch = ++this.batches;
    let tallies: SourceTallies | undefined;
    for (const event of events) {
      // A batch comes from one source as a rule: look it up again only when it changes.
      if (tallies?.source !== event.source) tallies = this.sourceTallies(event.source, batch);
      if (event.receivedAt > tallies.lastSeenMs) tallies.lastSeenMs = event.receivedAt;

      if (event.kind === 'http') {
        const section = tallies.section(event.section);
        this.requests.add(section.request(methodIndex(event.method), statusClassIndex(event.status)), 1);
        if (event.bytes > 0) this.responseBytes.add(section.bytes, event.bytes);
      } else {
        const direction = directionIndex(event.direction);
        this.transfers.add(tallies.transfer(direction, protocolIndex(event.protocol)), 1);
        if (event.bytes > 0) this.transferBytes.add(tallies.transferred(direction), event.bytes);
      }
    }
  }

  /** The source's tallies, its last-seen time restarted if this is its first event of the batch. */
  private sourceTallies(source: string, batch: number): SourceTallies {
    const label = this.sourceLabels.label(source);
    let tallies = this.sources.get(label);
    if (tallies === undefined) {
      tallies = new SourceTallies(label, this.sections);
      this.sources.set(label, tallies);
    }
    // The gauge reports the newest event of the source's last batch, as one record per batch did.
    if (tallies.lastSeenBatch !== batch) {
      tallies.lastSeenBatch = batch;
      tallies.lastSeenMs = Number.NEGATIVE_INFINITY;
    }
    return tallies;
  }

  private collect(lastEventTimestamp: ObservableResult): void {
    this.requests.flush();
    this.responseBytes.flush();
    this.transfers.flush();
    this.transferBytes.flush();
    for (const tallies of this.sources.values()) {
      lastEventTimestamp.observe(tallies.lastSeenMs / 1000, tallies.lastSeenAttributes);
    }
  }
}
