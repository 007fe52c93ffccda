import { bodyRange, rowIdentity } from './body_rows.js';
import type { FileInsertBody } from '../clickhouse/chdb_file_insert.js';
import type { DeadLetter } from './dead_letter.js';
import { messageOf } from '../clickhouse/errors.js';
import type { EventBatch } from './event_batch.js';
import { clickhouseCodeOf } from '../clickhouse/permanent_errors.js';

/** How one insert of some rows ended, after the retries of outages: stored, refused for good, or given up (shutdown). */
export type InsertOutcome = { readonly kind: 'stored' } | { readonly kind: 'refused'; readonly error: unknown } | { readonly kind: 'abandoned' };

/** Inserts rows `[from, to)` of the batch as a body of their own, retrying outages. */
export type RangeInsert = (body: FileInsertBody, from: number, to: number) => Promise<InsertOutcome>;

/** How isolating the refused rows of a batch ended. */
export type IsolateOutcome =
  | { readonly kind: 'isolated'; readonly letters: DeadLetter[] }
  /** The first `noneStoredLimit` rows tried alone were all refused and no row stored: the table, not the rows, is at fault. */
  | { readonly kind: 'unstorable'; readonly error: unknown }
  | { readonly kind: 'abandoned' };

/**
 * Stores what can be stored of a batch ClickHouse refused for good: the rows are split in halves,
 * each half inserted, and a refused half split again, down to single rows, which become dead
 * letters. k bad rows among n cost about 2·k·log2(n) inserts; a batch of only bad rows about 2·n,
 * unless `noneStoredLimit` stops it early.
 */
export async function isolateRefusedRows(
  batch: EventBatch, table: string, error: unknown, insert: RangeInsert, noneStoredLimit = Number.POSITIVE_INFINITY,
): Promise<IsolateOutcome> {
  const body = batch.body();
  const letters: DeadLetter[] = [];
  let stored = 0;
  let lastError = error;
  const split = async (from: number, to: number, refusal: unknown): Promise<'done' | 'abandoned' | 'unstorable'> => {
    if (to - from === 1) {
      const row = await bodyRange(body, batch.rowEnds, from, to);
      letters.push(deadLetter(table, row, refusal));
      lastError = refusal;
      return stored === 0 && letters.length >= noneStoredLimit ? 'unstorable' : 'done';
    }
    const middle = from + Math.ceil((to - from) / 2);
    for (const [a, b] of [[from, middle], [middle, to]] as const) {
      const outcome = await insert(await bodyRange(body, batch.rowEnds, a, b), a, b);
      if (outcome.kind === 'abandoned') return 'abandoned';
      if (outcome.kind === 'stored') {
        stored += b - a;
        continue;
      }
      const result = await split(a, b, outcome.error);
      if (result !== 'done') return result;
    }
    return 'done';
  };
  const result = await split(0, batch.rows, error);
  if (result === 'done') return { kind: 'isolated', letters };
  return result === 'unstorable' ? { kind: 'unstorable', error: lastError } : { kind: 'abandoned' };
}

function deadLetter(table: string, row: FileInsertBody, error: unknown): DeadLetter {
  const bytes = 'bytes' in row ? row.bytes : Buffer.alloc(0);
  return {
    at: new Date().toISOString(),
    table,
    reason: 'refused by ClickHouse',
    code: clickhouseCodeOf(error),
    message: messageOf(error),
    ...rowIdentity(row.format, bytes),
  };
}
