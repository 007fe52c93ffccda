import type { Attributes } from '@opentelemetry/api';
import type { Event } from '../pipeline/event.js';
import type { EventConsumer } from '../pipeline/consumer.js';
import type { Instruments } from './instruments.js';
import { directionLabel, methodLabel, protocolLabel, statusClassLabel } from './metric_labels.js';
import type { SectionLimiter } from './section_limiter.js';

interface Tally {
  attributes: Attributes;
  value: number;
}

/** Adds `value` to the tally of `key`, creating it with the attributes `make()` returns. */
function tally(map: Map<string, Tally>, key: string, value: number, make: () => Attributes): void {
  const entry = map.get(key);
  if (entry === undefined) map.set(key, { attributes: make(), value });
  else entry.value += value;
}

/** Unit separator: cannot appear in a source name, section or label value we build keys from. */
const SEP = '\u001f';

/**
 * Turns parsed events into counter increments. Each batch is first summed into small maps keyed by
 * label set, so the SDK sees one `add` per label set and batch instead of one per event.
 */
export class EventMetrics implements EventConsumer {
  constructor(
    private readonly instruments: Instruments,
    private readonly sections: SectionLimiter,
  ) {}

  consume(events: readonly Event[]): void {
    if (events.length === 0) return;
    const requests = new Map<string, Tally>();
    const responseBytes = new Map<string, Tally>();
    const transfers = new Map<string, Tally>();
    const transferBytes = new Map<string, Tally>();
    const lastSeenMs = new Map<string, number>();

    for (const event of events) {
      const { source } = event;
      const seen = lastSeenMs.get(source);
      if (seen === undefined || event.receivedAt > seen) lastSeenMs.set(source, event.receivedAt);

      if (event.kind === 'http') {
        const section = this.sections.label(source, event.section);
        const method = methodLabel(event.method);
        const statusClass = statusClassLabel(event.status);
        tally(requests, source + SEP + section + SEP + method + SEP + statusClass, 1, () => ({
          source,
          section,
          method,
          status_class: statusClass,
        }));
        if (event.bytes > 0) {
          tally(responseBytes, source + SEP + section, event.bytes, () => ({ source, section }));
        }
      } else {
        const direction = directionLabel(event.direction);
        const protocol = protocolLabel(event.protocol);
        tally(transfers, source + SEP + direction + SEP + protocol, 1, () => ({ source, direction, protocol }));
        if (event.bytes > 0) {
          tally(transferBytes, source + SEP + direction, event.bytes, () => ({ source, direction }));
        }
      }
    }

    const i = this.instruments;
    for (const t of requests.values()) i.httpRequests.add(t.value, t.attributes);
    for (const t of responseBytes.values()) i.httpResponseBytes.add(t.value, t.attributes);
    for (const t of transfers.values()) i.transfers.add(t.value, t.attributes);
    for (const t of transferBytes.values()) i.transferBytes.add(t.value, t.attributes);
    for (const [source, ms] of lastSeenMs) i.sourceLastEventTimestamp.record(ms / 1000, { source });
  }
}
