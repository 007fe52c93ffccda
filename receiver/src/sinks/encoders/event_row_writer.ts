import type { FileInsertBody } from '../../clickhouse/chdb_file_insert.js';
import type { Event } from '../../model/event.js';

/** Encodes events into one insert body, row by row (RowBinary or TabSeparated). */
export interface EventRowWriter {
  append(event: Event): void;
  /** Bytes of the body so far. */
  readonly bytes: number;
  /** The body with every row appended so far; called once, after the last `append`. */
  finish(): FileInsertBody;
}
