import { open } from 'node:fs/promises';
import type { FileInsertBody } from '../clickhouse/chdb_file_insert.js';

/**
 * Rows of an encoded insert body, found again from where each row ends: a run of rows as a body of
 * its own (to insert part of a refused batch), and the identity of one row (for its dead letter).
 */

/** The rows `[from, to)` of `body` as an in-memory body of the same format. */
export async function bodyRange(body: FileInsertBody, rowEnds: readonly number[], from: number, to: number): Promise<FileInsertBody> {
  const start = from === 0 ? 0 : (rowEnds[from - 1] as number);
  const end = rowEnds[to - 1] as number;
  if (!('file' in body)) return { ...body, bytes: body.bytes.subarray(start, end) };
  await body.file.complete();
  const bytes = Buffer.alloc(end - start);
  const handle = await open(body.file.path, 'r');
  try {
    for (let at = 0; at < bytes.length;) {
      const { bytesRead } = await handle.read(bytes, at, bytes.length - at, start + at);
      if (bytesRead === 0) throw new Error(`insert body ${body.file.path} ends before byte ${end}`);
      at += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return { format: 'RowBinary', bytes, layout: body.layout };
}

/** What a dead letter says about its row: where the line came from and the line itself. */
export interface RowIdentity {
  event_id: string;
  /** The event's time as encoded (TabSeparated text, or epoch milliseconds from RowBinary). */
  ts: string;
  source: string;
  file: string;
  offset: number;
  raw: string;
}

/** The identity of the single row `bytes` holds, in either body format (both start with these fields). */
export function rowIdentity(format: FileInsertBody['format'], bytes: Buffer): RowIdentity {
  return format === 'TabSeparated' ? tsvIdentity(bytes) : rowBinaryIdentity(bytes);
}

const TSV_ESCAPES: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r', '0': '\0', b: '\b', f: '\f', "'": "'" };

function unescapeTsv(field: string): string {
  return field.replace(/\\(.)/g, (_, c: string) => TSV_ESCAPES[c] ?? c);
}

/** Columns in EVENT_COLUMNS order: event_id, ts, received_at, source, file, offset, …, raw last. */
function tsvIdentity(bytes: Buffer): RowIdentity {
  const fields = bytes.toString('utf8').replace(/\n$/, '').split('\t');
  return {
    event_id: fields[0] ?? '',
    ts: fields[1] ?? '',
    source: unescapeTsv(fields[3] ?? ''),
    file: unescapeTsv(fields[4] ?? ''),
    offset: Number(fields[5] ?? -1),
    raw: unescapeTsv(fields[fields.length - 1] ?? ''),
  };
}

/** EVENT_ROW_BINARY_LAYOUT starts: event_id UInt64, ts, received_at Int64, raw, source, file String, offset Int64. */
function rowBinaryIdentity(bytes: Buffer): RowIdentity {
  let at = 0;
  const string = (): string => {
    let length = 0;
    for (let shift = 1; ; shift *= 0x80) {
      const b = bytes[at++] ?? 0;
      length += (b & 0x7f) * shift;
      if (b < 0x80) break;
    }
    const text = bytes.toString('utf8', at, at + length);
    at += length;
    return text;
  };
  const eventId = bytes.readBigUInt64LE(0);
  const ts = bytes.readBigInt64LE(8);
  at = 24;
  const raw = string();
  const source = string();
  const file = string();
  const offset = Number(bytes.readBigInt64LE(at));
  return { event_id: String(eventId), ts: String(ts), source, file, offset, raw };
}
