import { eventIdAt, eventIdForContent, FileKeyCache } from './event_id.js';
import type { Event } from '../model/event.js';
import type { EventConsumer, EventSink } from './consumer.js';
import type { BatchOutcome, CountingBatchHandler, LineBatch } from '../model/line_batch.js';
import type { ReceiverTelemetry } from '../model/telemetry.js';
import { ParserRegistry } from './parser_registry.js';
import { RetentionFilter } from './retention_filter.js';
import { TIMESTAMP_OUT_OF_RANGE, inEventTimeRange } from './event_time_range.js';
import type { LogFormat } from '../parsers/index.js';

export interface PipelineOptions {
  sink: EventSink;
  /** Metrics, alert evaluator, period stats: each sees every batch of parsed events. */
  consumers: readonly EventConsumer[];
  telemetry: ReceiverTelemetry;
  /** Forced format, or 'auto' to detect per file. @default 'auto' */
  format?: LogFormat | 'auto';
  /**
   * Events dated more than this many days before now are counted `expired` and not written (the
   * consumers still see them). @default none: every event is written
   */
  retentionDays?: number;
  /** Clock for `received_at` and the retention's cutoff. @default Date.now */
  now?: () => number;
}

/**
 * Parse → fan-out → sink. A source's batch becomes events, every consumer sees them, and the
 * sink stores them; the batch is acknowledged (its checkpoint may move) once the sink has.
 * `handle` resolves when the sink has room: that is the backpressure the sources wait on.
 */
export class Pipeline {
  private readonly parsers: ParserRegistry;
  private readonly keys = new FileKeyCache();
  private readonly now: () => number;
  private readonly retention: RetentionFilter | undefined;

  constructor(private readonly options: PipelineOptions) {
    this.parsers = new ParserRegistry(options.format ?? 'auto');
    this.now = options.now ?? Date.now;
    const days = options.retentionDays;
    this.retention = days === undefined ? undefined : new RetentionFilter(days, options.telemetry, this.now);
  }

  readonly handle: CountingBatchHandler = async (batch: LineBatch) => {
    const outcome: BatchOutcome = { parsed: 0, invalid: 0 };
    const events = await this.parse(batch, outcome);
    for (const consumer of this.options.consumers) consumer.consume(events);
    const stored = this.retention === undefined ? events : this.retention.keep(batch.source, events);
    // Written even when empty: the batch's lines are acknowledged in order with the others.
    await this.options.sink.write(stored, batch.ack);
    return outcome;
  };

  /** Turns a batch of lines into events, counting every line's outcome (also into `outcome`). */
  async parse(batch: LineBatch, outcome?: BatchOutcome): Promise<Event[]> {
    const { source, file, fileId, lines } = batch;
    const { telemetry } = this.options;
    const first = lines[0];
    if (first === undefined) return [];
    telemetry.linesRead(source, file, lines.length);
    const parser = await this.parsers.parserFor(fileId, batch.remote ? '' : file, first.offset, batch.format);
    const key = this.keys.get(fileId);
    const receivedAt = this.now();
    const events: Event[] = [];
    let invalid = 0;
    let truncated = 0;
    for (const line of lines) {
      if (line.truncated) truncated++;
      const result = parser.parse(line.text);
      if (result.kind === 'skip') continue;
      if (result.kind === 'invalid') {
        invalid++;
        telemetry.invalidLine(source, file, line.offset, result.reason, line.text);
        continue;
      }
      // The parser's object becomes the event: its identity and origin are blank until here.
      const event = result.fields;
      if (!inEventTimeRange(event.ts)) {
        invalid++;
        telemetry.invalidLine(source, file, line.offset, TIMESTAMP_OUT_OF_RANGE, line.text);
        continue;
      }
      if (line.eventId !== undefined) {
        event.eventId = line.eventId;
      } else if (line.offset >= 0) {
        event.eventId = eventIdAt(key, line.offset);
      } else {
        event.eventId = eventIdForContent(fileId, line.text, line.position ?? 0);
      }
      event.receivedAt = receivedAt;
      event.source = source;
      event.file = file;
      event.offset = line.offset;
      event.raw = line.text;
      events.push(event);
    }
    const skipped = this.parsers.skipNotice(fileId, parser);
    if (skipped !== '') telemetry.fileSkipped(source, file, skipped);
    if (outcome) {
      outcome.parsed += events.length;
      outcome.invalid += invalid;
    }
    if (events.length > 0) telemetry.linesProcessed(source, 'parsed', events.length);
    if (invalid > 0) telemetry.linesProcessed(source, 'invalid', invalid);
    if (truncated > 0) telemetry.linesProcessed(source, 'truncated', truncated);
    return events;
  }

  /** The file is finished and acknowledged (its source forgot it): its parser state can go. */
  release(fileId: string): void {
    this.parsers.release(fileId);
    this.keys.delete(fileId);
  }

  /** Sizes of the per-file state, for tests and the debug log. */
  stats(): { fileKeys: number; parsers: number } {
    return { fileKeys: this.keys.size, parsers: this.parsers.size };
  }

}
