import { eventIdAt, eventIdForContent, fileKey } from './event_id.js';
import type { FileKey } from './event_id.js';
import type { Event } from './event.js';
import type { EventConsumer, EventSink } from './consumer.js';
import type { BatchHandler, LineBatch } from './line_batch.js';
import type { ReceiverTelemetry } from './telemetry.js';
import { ParserRegistry } from './parser_registry.js';
import type { LogFormat } from '../parsers/index.js';

export interface PipelineOptions {
  sink: EventSink;
  /** Metrics, alert evaluator, period stats: each sees every batch of parsed events. */
  consumers: readonly EventConsumer[];
  telemetry: ReceiverTelemetry;
  /** Forced format, or 'auto' to detect per file. @default 'auto' */
  format?: LogFormat | 'auto';
  /** Clock for `received_at`. @default Date.now */
  now?: () => number;
}

/**
 * Parse → fan-out → sink. A source's batch becomes events, every consumer sees them, and the
 * sink stores them; the batch is acknowledged (its checkpoint may move) once the sink has.
 * `handle` resolves when the sink has room: that is the backpressure the sources wait on.
 */
export class Pipeline {
  private readonly parsers: ParserRegistry;
  private readonly keys = new Map<string, FileKey>();
  private readonly now: () => number;

  constructor(private readonly options: PipelineOptions) {
    this.parsers = new ParserRegistry(options.format ?? 'auto');
    this.now = options.now ?? Date.now;
  }

  readonly handle: BatchHandler = async (batch: LineBatch) => {
    const events = await this.parse(batch);
    for (const consumer of this.options.consumers) consumer.consume(events);
    await this.options.sink.write(events, batch.ack);
  };

  /** Turns a batch of lines into events, counting every line's outcome. */
  async parse(batch: LineBatch): Promise<Event[]> {
    const { source, file, fileId, lines } = batch;
    const { telemetry } = this.options;
    const first = lines[0];
    if (first === undefined) return [];
    const parser = await this.parsers.parserFor(fileId, file, first.offset, batch.format);
    const key = this.keyOf(fileId);
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
      if (line.offset >= 0) {
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

  private keyOf(fileId: string): FileKey {
    let key = this.keys.get(fileId);
    if (!key) {
      key = fileKey(fileId);
      this.keys.set(fileId, key);
    }
    return key;
  }
}
