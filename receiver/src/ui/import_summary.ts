import type { EventConsumer } from '../pipeline/consumer.js';
import type { Event } from '../model/event.js';
import type { LineOutcome, ReceiverTelemetry, SinkOutcome } from '../model/telemetry.js';

/**
 * What a batch import did, gathered from the receiver's internal events (it is a telemetry target)
 * and, for the events' time range, from the parsed events (it is a consumer). Everything it keeps
 * is bounded: counts, the first sample of each of at most `maxReasons` reasons, and at most
 * `maxNamed` skipped files and unreadable paths by name.
 */

/** The first line refused for a reason, and how many were. */
export interface ReasonCount {
  reason: string;
  count: number;
  file: string;
  offset: number;
  sample: string;
}

export interface NamedReason {
  name: string;
  reason: string;
}

export interface ImportSummary {
  filesRead: number;
  filesSkipped: number;
  skippedFiles: readonly NamedReason[];
  pathsNotRead: number;
  unreadablePaths: readonly NamedReason[];
  linesRead: number;
  eventsStored: number;
  invalidLines: number;
  invalidByReason: readonly ReasonCount[];
  pastRetention: number;
  /** Earliest and latest event time, undefined when no event was parsed. */
  firstEventMs: number | undefined;
  lastEventMs: number | undefined;
  store: string;
  elapsedMs: number;
}

export interface ImportSummaryOptions {
  /** Reasons with their own count and sample; later ones are counted as `other reasons`. @default 20 */
  maxReasons?: number;
  /** Skipped files and unreadable paths named (each list); the rest are only counted. @default 20 */
  maxNamed?: number;
  /** Distinct files counted as read; beyond it no new name is remembered. @default 100000 */
  maxFiles?: number;
  /** @default Date.now */
  now?: () => number;
}

export const OTHER_REASONS = 'other reasons';
/** Samples are cut to this many characters. */
const SAMPLE_CHARS = 120;

export class ImportSummaryCollector implements ReceiverTelemetry, EventConsumer {
  private readonly maxReasons: number;
  private readonly maxNamed: number;
  private readonly maxFiles: number;
  private readonly now: () => number;
  private readonly startedMs: number;
  private readonly files = new Set<string>();
  private readonly reasons = new Map<string, ReasonCount>();
  private readonly skipped: NamedReason[] = [];
  private readonly unreadable: NamedReason[] = [];
  private filesSkipped = 0;
  private pathsNotRead = 0;
  private linesReadCount = 0;
  private stored = 0;
  private invalid = 0;
  private expired = 0;
  private firstMs = Infinity;
  private lastMs = -Infinity;

  constructor(options: ImportSummaryOptions = {}) {
    this.maxReasons = options.maxReasons ?? 20;
    this.maxNamed = options.maxNamed ?? 20;
    this.maxFiles = options.maxFiles ?? 100_000;
    this.now = options.now ?? Date.now;
    this.startedMs = this.now();
  }

  linesRead(source: string, file: string, count: number): void {
    this.linesReadCount += count;
    if (this.files.size < this.maxFiles) this.files.add(`${source}\u0000${file}`);
  }

  linesProcessed(_source: string, outcome: LineOutcome, count: number): void {
    if (outcome === 'invalid') this.invalid += count;
    else if (outcome === 'expired') this.expired += count;
  }

  invalidLine(_source: string, file: string, offset: number, reason: string, text: string): void {
    const key = this.reasons.has(reason) || this.reasons.size < this.maxReasons ? reason : OTHER_REASONS;
    const known = this.reasons.get(key);
    if (known !== undefined) {
      known.count++;
      return;
    }
    this.reasons.set(key, { reason: key, count: 1, file, offset, sample: text.slice(0, SAMPLE_CHARS) });
  }

  sinkRows(outcome: SinkOutcome, count: number): void {
    if (outcome === 'written') this.stored += count;
  }

  sinkQueueRows(): void {}

  otlpRequest(): void {}

  otlpRecords(): void {}

  checkpointsEvicted(): void {}
  futureEvents(): void {}
  syslogMessages(): void {}

  syslogConnection(): void {}

  /** A file of a watched folder or a named path that is not a log this receiver reads. */
  fileSkipped(_source: string, file: string, reason: string): void {
    this.filesSkipped++;
    if (this.skipped.length < this.maxNamed) this.skipped.push({ name: file, reason });
  }

  /** A path named on the command line that could not be read (its reason: `EACCES`, ...). */
  pathUnreadable(path: string, reason: string): void {
    this.pathsNotRead++;
    if (this.unreadable.length < this.maxNamed) this.unreadable.push({ name: path, reason });
  }

  consume(events: readonly Event[]): void {
    let first = this.firstMs;
    let last = this.lastMs;
    for (const event of events) {
      if (event.ts < first) first = event.ts;
      if (event.ts > last) last = event.ts;
    }
    this.firstMs = first;
    this.lastMs = last;
  }

  /** The summary as of now; `store` names where the rows went (never with a password). */
  snapshot(store: string): ImportSummary {
    const byCount = [...this.reasons.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
    return {
      filesRead: this.files.size,
      filesSkipped: this.filesSkipped,
      skippedFiles: [...this.skipped],
      pathsNotRead: this.pathsNotRead,
      unreadablePaths: [...this.unreadable],
      linesRead: this.linesReadCount,
      eventsStored: this.stored,
      invalidLines: this.invalid,
      invalidByReason: byCount.map((r) => ({ ...r })),
      pastRetention: this.expired,
      firstEventMs: Number.isFinite(this.firstMs) ? this.firstMs : undefined,
      lastEventMs: Number.isFinite(this.lastMs) ? this.lastMs : undefined,
      store,
      elapsedMs: this.now() - this.startedMs,
    };
  }
}
