import type { Event } from '../../model/event.js';
import { clampMillis, clampUint, EVENT_COLUMNS, MAX_UINT16, MAX_UINT32, type EventSlice } from './row_encoder.js';
import type { BodyFile } from '../../clickhouse/body_file.js';
import type { FileInsertBody, RowBinaryLayout } from '../../clickhouse/chdb_file_insert.js';
import type { EventRowWriter } from './event_row_writer.js';
import { RowBinaryWriter, StringCache } from './row_binary_writer.js';

/**
 * Encodes events as ClickHouse `RowBinary` for the embedded engine's file inserts: no escaping and
 * no digits to format, and the engine reads it faster than TabSeparated. The values are the same
 * as `encodeEvents` writes (same clamping), so both bodies store the same rows.
 */


/**
 * Columns whose text is nearly always a piece of the raw line (path, referer, user agent): when
 * the line is ASCII, they travel as the byte position and length of that piece (`<column>_at`,
 * from 1, and `<column>_len`) and ClickHouse cuts them out of `raw`; otherwise, or when the text
 * is not in the line, as text (`<column>_text`, with `<column>_at` 0). A call into the native
 * UTF-8 encoder per field cost about as much as the rest of the row; the position is one search.
 */
const SLICED_COLUMNS: ReadonlySet<string> = new Set(['path', 'referer', 'user_agent']);

/** The body's fields: the raw line first, so that the fields cut from it can be found in it. */
const FIELDS = [
  'event_id UInt64', "ts DateTime64(3, 'UTC')", "received_at DateTime64(3, 'UTC')", 'raw String', 'source String', 'file String',
  'offset Int64', 'vhost String', 'kind String', 'client String', 'user String', 'method String', ...slicedFields('path'), 'section String',
  'status UInt16', 'protocol String', 'bytes UInt64', ...slicedFields('referer'), ...slicedFields('user_agent'),
  'direction String', 'duration_ms UInt32',
];

function slicedFields(column: string): string[] {
  return [`${column}_at UInt32`, `${column}_len UInt32`, `${column}_text String`];
}

function selectOf(column: string): string {
  if (!SLICED_COLUMNS.has(column)) return `\`${column}\``;
  return `if(${column}_at = 0, ${column}_text, substring(raw, ${column}_at, ${column}_len)) AS \`${column}\``;
}

export const EVENT_ROW_BINARY_LAYOUT: RowBinaryLayout = {
  structure: FIELDS.map((field) => field.replace(/^(\w+)/, '`$1`')).join(', '),
  select: EVENT_COLUMNS.map(selectOf).join(', '),
};

// Every column must be read from fields of the body; checked once at load.
const FIELD_NAMES = new Set(FIELDS.map((field) => field.split(' ', 1)[0]));
for (const column of EVENT_COLUMNS) {
  const needed = SLICED_COLUMNS.has(column) ? [`${column}_at`, `${column}_len`, `${column}_text`] : [column];
  if (!needed.every((name) => FIELD_NAMES.has(name))) throw new Error(`clickhouse sink: the RowBinary layout has no field for column ${column}`);
}

/** Room a row needs besides 3 bytes per character of its strings: numbers and length prefixes. */
const ROW_FIXED_BYTES = 160;
/** Int64 range a byte offset can take in a RowBinary body: any safe integer. */
const MAX_OFFSET = Number.MAX_SAFE_INTEGER;

/**
 * Writes events as RowBinary rows laid out as `EVENT_ROW_BINARY_LAYOUT`, into one body. The
 * columns that repeat from row to row (LowCardinality in the schema) are encoded once per body
 * and value.
 */
export class RowBinaryEventWriter implements EventRowWriter {
  readonly #out: RowBinaryWriter;
  readonly #sources = new StringCache();
  readonly #files = new StringCache();
  readonly #vhosts = new StringCache();
  readonly #kinds = new StringCache();
  readonly #users = new StringCache();
  readonly #methods = new StringCache();
  readonly #sections = new StringCache();
  readonly #protocols = new StringCache();
  readonly #directions = new StringCache();

  readonly #file: BodyFile | undefined;

  /**
   * With `file`, rows go to the file in chunks of `bufferBytes` (see body_file.ts); without, the
   * body stays in memory, in a buffer that starts at `bufferBytes` and grows.
   */
  constructor(bufferBytes: number, file?: BodyFile) {
    this.#file = file;
    this.#out = new RowBinaryWriter(bufferBytes, file === undefined ? undefined : (bytes) => file.append(bytes));
  }

  append(e: Event): void {
    const out = this.#out;
    const raw = e.raw;
    const chars = e.source.length + e.file.length + e.vhost.length + e.kind.length + e.client.length + e.user.length + e.method.length +
      e.path.length + e.section.length + e.protocol.length + e.referer.length + e.userAgent.length + e.direction.length + raw.length;
    out.reserve(chars * 3 + ROW_FIXED_BYTES);
    out.uint64(e.eventId);
    out.int64(clampMillis(e.ts));
    out.int64(clampMillis(e.receivedAt));
    // One byte a character: the line is ASCII, and a character position in it is a byte position.
    const ascii = out.string(raw) === raw.length;
    out.cachedString(e.source, this.#sources);
    out.cachedString(e.file, this.#files);
    out.int64(Number.isFinite(e.offset) ? Math.max(-MAX_OFFSET, Math.min(MAX_OFFSET, Math.trunc(e.offset))) : -1);
    out.cachedString(e.vhost, this.#vhosts);
    out.cachedString(e.kind, this.#kinds);
    out.string(e.client);
    out.cachedString(e.user, this.#users);
    out.cachedString(e.method, this.#methods);
    const afterPath = this.#sliced(e.path, e.pathAt, raw, ascii, 0);
    out.cachedString(e.section, this.#sections);
    out.uint16(clampUint(e.status, MAX_UINT16));
    out.cachedString(e.protocol, this.#protocols);
    out.int64(clampUint(e.bytes, Number.MAX_SAFE_INTEGER));
    const afterReferer = this.#sliced(e.referer, e.refererAt, raw, ascii, afterPath);
    this.#sliced(e.userAgent, e.userAgentAt, raw, ascii, afterReferer);
    out.cachedString(e.direction, this.#directions);
    out.uint32(clampUint(e.durationMs, MAX_UINT32));
  }

  /**
   * A column of `SLICED_COLUMNS`: where `value` is in the raw line, as the parser found it (`known`)
   * or else searched from `from` (where the log's field order puts it; any occurrence is the same
   * bytes), or its text. Returns where the next field's search starts.
   */
  #sliced(value: string, known: number | undefined, raw: string, ascii: boolean, from: number): number {
    const out = this.#out;
    let at = -1;
    if (ascii && value.length > 0) at = known !== undefined && known >= 0 ? known : raw.indexOf(value, from);
    if (at < 0) {
      out.uint32(0);
      out.uint32(0);
      out.string(value);
      return from;
    }
    out.uint32(at + 1);
    out.uint32(value.length);
    out.string('');
    return at + value.length;
  }

  get bytes(): number {
    return this.#out.position;
  }

  /** The body, once every row is appended: with a file, the bytes still buffered go to it first. */
  finish(): FileInsertBody {
    const file = this.#file;
    if (file === undefined) return { format: 'RowBinary', bytes: this.#out.bytes(), layout: EVENT_ROW_BINARY_LAYOUT };
    file.append(this.#out.bytes());
    return { format: 'RowBinary', file, layout: EVENT_ROW_BINARY_LAYOUT };
  }
}

/** One RowBinary body for the slices (what `RowBinaryEventWriter` writes row by row). */
export function encodeEventsRowBinary(slices: readonly EventSlice[], rows: number): Buffer {
  const writer = new RowBinaryEventWriter(rows * 512);
  for (const { events, start, end } of slices) {
    for (let i = start; i < end; i++) writer.append(events[i] as Event);
  }
  const body = writer.finish();
  return 'bytes' in body ? body.bytes : Buffer.alloc(0);
}
