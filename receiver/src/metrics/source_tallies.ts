import type { Attributes } from '@opentelemetry/api';
import { DIRECTION_LABELS, METHOD_LABELS, PROTOCOL_LABELS, STATUS_CLASS_LABELS } from './metric_labels.js';
import { tally } from './pending_adds.js';
import type { Tally } from './pending_adds.js';
import type { SectionLimiter } from './section_limiter.js';

/** A table of tallies made on first use; filled up front so that it never has holes. */
function emptyTable(size: number): Array<Tally | undefined> {
  return new Array<Tally | undefined>(size).fill(undefined);
}

/**
 * The tallies of one section label: requests by method and status class, in a table indexed by
 * `methodIndex * STATUS_CLASS_LABELS.length + statusClassIndex`, and response bytes.
 */
export class SectionTallies {
  readonly bytes: Tally;
  private readonly requests = emptyTable(METHOD_LABELS.length * STATUS_CLASS_LABELS.length);

  constructor(
    private readonly source: string,
    private readonly section: string,
  ) {
    this.bytes = tally({ source, section });
  }

  /** The tally of requests with this method and status class, made on first use. */
  request(methodIndex: number, statusClassIndex: number): Tally {
    const cell = methodIndex * STATUS_CLASS_LABELS.length + statusClassIndex;
    let found = this.requests[cell];
    if (found === undefined) {
      const method = METHOD_LABELS[methodIndex] as string;
      const statusClass = STATUS_CLASS_LABELS[statusClassIndex] as string;
      found = tally({ source: this.source, section: this.section, method, status_class: statusClass });
      this.requests[cell] = found;
    }
    return found;
  }
}

/**
 * Everything the metrics count for one source, kept for the life of the process so that the
 * label values and attribute objects are built once per label set, not per event or batch. Its
 * size is bounded by the label values: sections through the limiter, the rest by their lists.
 */
export class SourceTallies {
  readonly lastSeenAttributes: Attributes;
  /** Newest `receivedAt` of the source's last batch, epoch ms. */
  lastSeenMs = Number.NEGATIVE_INFINITY;
  /** The batch `lastSeenMs` belongs to. */
  lastSeenBatch = -1;
  /** By section label: a section with its own label is found under its own name. */
  private readonly sections = new Map<string, SectionTallies>();
  private readonly transfers = emptyTable(DIRECTION_LABELS.length * PROTOCOL_LABELS.length);
  private readonly transferBytes = emptyTable(DIRECTION_LABELS.length);

  constructor(
    readonly source: string,
    private readonly limiter: SectionLimiter,
  ) {
    this.lastSeenAttributes = { source };
  }

  /** The tallies of the label `section` is counted under. */
  section(section: string): SectionTallies {
    // A hit is a section the limiter already gave its own label: that label is for good.
    const known = this.sections.get(section);
    if (known !== undefined) return known;
    const label = this.limiter.label(this.source, section);
    let tallies = this.sections.get(label);
    if (tallies === undefined) {
      tallies = new SectionTallies(this.source, label);
      this.sections.set(label, tallies);
    }
    return tallies;
  }

  /** The tally of transfers in this direction over this protocol, made on first use. */
  transfer(directionIndex: number, protocolIndex: number): Tally {
    const cell = directionIndex * PROTOCOL_LABELS.length + protocolIndex;
    let found = this.transfers[cell];
    if (found === undefined) {
      const direction = DIRECTION_LABELS[directionIndex] as string;
      const protocol = PROTOCOL_LABELS[protocolIndex] as string;
      found = tally({ source: this.source, direction, protocol });
      this.transfers[cell] = found;
    }
    return found;
  }

  /** The tally of bytes transferred in this direction, made on first use. */
  transferred(directionIndex: number): Tally {
    let found = this.transferBytes[directionIndex];
    if (found === undefined) {
      found = tally({ source: this.source, direction: DIRECTION_LABELS[directionIndex] as string });
      this.transferBytes[directionIndex] = found;
    }
    return found;
  }
}
