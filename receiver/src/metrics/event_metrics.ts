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

/** Label value → the next label's map, down to the tallies: no key string built per event. */
type Level<T> = Map<string, T>;

/** The map under `key`, created empty the first time. */
function level<T>(map: Level<Level<T>>, key: string): Level<T> {
  let next = map.get(key);
  if (next === undefined) {
    next = new Map();
    map.set(key, next);
  }
  return next;
}

/**
 * Adds `value` to the tally under `key`. A new tally gets `attributes` (built by the caller only
 * when `leaf.get(key)` was undefined) and joins `all`, the list the batch's adds are read from.
 */
function addNew(leaf: Level<Tally>, key: string, value: number, attributes: Attributes, all: Tally[]): void {
  const tally = { attributes, value };
  leaf.set(key, tally);
  all.push(tally);
}

/**
 * Turns parsed events into counter increments. Each batch is first summed into small nested maps
 * (one level per label), so the SDK sees one `add` per label set and batch instead of one per
 * event, and no label-set key is built per event.
 */
export class EventMetrics implements EventConsumer {
  constructor(
    private readonly instruments: Instruments,
    private readonly sections: SectionLimiter,
  ) {}

  consume(events: readonly Event[]): void {
    if (events.length === 0) return;
    // source → section → method → status class
    const requests: Level<Level<Level<Level<Tally>>>> = new Map();
    // source → section
    const responseBytes: Level<Level<Tally>> = new Map();
    // source → direction → protocol
    const transfers: Level<Level<Level<Tally>>> = new Map();
    // source → direction
    const transferBytes: Level<Level<Tally>> = new Map();
    const requestTallies: Tally[] = [];
    const responseByteTallies: Tally[] = [];
    const transferTallies: Tally[] = [];
    const transferByteTallies: Tally[] = [];
    const lastSeenMs = new Map<string, number>();

    for (const event of events) {
      const { source } = event;
      const seen = lastSeenMs.get(source);
      if (seen === undefined || event.receivedAt > seen) lastSeenMs.set(source, event.receivedAt);

      if (event.kind === 'http') {
        const section = this.sections.label(source, event.section);
        const method = methodLabel(event.method);
        const statusClass = statusClassLabel(event.status);
        const byStatus = level(level(level(requests, source), section), method);
        const count = byStatus.get(statusClass);
        if (count !== undefined) count.value += 1;
        else addNew(byStatus, statusClass, 1, { source, section, method, status_class: statusClass }, requestTallies);
        if (event.bytes > 0) {
          const bySection = level(responseBytes, source);
          const bytes = bySection.get(section);
          if (bytes !== undefined) bytes.value += event.bytes;
          else addNew(bySection, section, event.bytes, { source, section }, responseByteTallies);
        }
      } else {
        const direction = directionLabel(event.direction);
        const protocol = protocolLabel(event.protocol);
        const byProtocol = level(level(transfers, source), direction);
        const count = byProtocol.get(protocol);
        if (count !== undefined) count.value += 1;
        else addNew(byProtocol, protocol, 1, { source, direction, protocol }, transferTallies);
        if (event.bytes > 0) {
          const byDirection = level(transferBytes, source);
          const bytes = byDirection.get(direction);
          if (bytes !== undefined) bytes.value += event.bytes;
          else addNew(byDirection, direction, event.bytes, { source, direction }, transferByteTallies);
        }
      }
    }

    const i = this.instruments;
    for (const t of requestTallies) i.httpRequests.add(t.value, t.attributes);
    for (const t of responseByteTallies) i.httpResponseBytes.add(t.value, t.attributes);
    for (const t of transferTallies) i.transfers.add(t.value, t.attributes);
    for (const t of transferByteTallies) i.transferBytes.add(t.value, t.attributes);
    for (const [source, ms] of lastSeenMs) i.sourceLastEventTimestamp.record(ms / 1000, { source });
  }
}
