import type { Event } from '../model/event.js';
import type { FileInsertBody } from '../clickhouse/chdb_file_insert.js';
import type { EventRowWriter } from './encoders/event_row_writer.js';
import type { BatchPart, QueuedWrite } from './write_queue.js';


/**
 * The rows of one insert, encoded as they are written: the events themselves are dropped as soon
 * as `write` returns, so they die young (cheap to collect) and the queue holds compact bytes
 * instead of objects; and encoding overlaps the insert of the batch before, which runs off the
 * main thread. Where each row ends in the body is kept, so that a batch ClickHouse refuses can be
 * split into smaller inserts (refused_rows.ts).
 */
export class EventBatch {
  readonly parts: BatchPart[] = [];
  /** Byte position in the body after each row. */
  readonly rowEnds: number[] = [];
  #body: FileInsertBody | undefined;
  rows = 0;
  firstId = 0n;
  lastId = 0n;

  constructor(
    /** When its first row was written: the flush interval counts from here. */
    readonly openedAt: number,
    private readonly writer: EventRowWriter,
  ) {}

  /** Bytes of the body so far. */
  get bytes(): number {
    return this.writer.bytes;
  }

  /**
   * Encodes `events[start..end)` (a non-empty run) of `write`, stopping after the row that takes
   * the body to `maxBytes`; returns the index after the last row taken (at least `start + 1`).
   */
  add(events: readonly Event[], start: number, end: number, write: QueuedWrite, maxBytes: number = Number.POSITIVE_INFINITY): number {
    const writer = this.writer;
    let i = start;
    while (i < end) {
      writer.append(events[i] as Event);
      const at = writer.bytes;
      this.rowEnds.push(at);
      i++;
      if (at >= maxBytes) break;
    }
    if (this.rows === 0) this.firstId = (events[start] as Event).eventId;
    this.lastId = (events[i - 1] as Event).eventId;
    this.rows += i - start;
    const last = this.parts[this.parts.length - 1];
    if (last?.write === write) last.rows += i - start;
    else this.parts.push({ write, rows: i - start });
    return i;
  }

  /** The finished body: no row may be added once it is asked for. */
  body(): FileInsertBody {
    this.#body ??= this.writer.finish();
    return this.#body;
  }

  /** Deletes the body's file, if it has one: once stored, or given up. */
  async dispose(): Promise<void> {
    const body = this.body();
    if ('file' in body) await body.file.remove();
  }
}
