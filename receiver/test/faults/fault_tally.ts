import { readFile } from 'node:fs/promises';
import { SEQ_SQL } from './sequenced_lines.js';

/**
 * What a fault scenario ends with: lines written against rows ClickHouse holds after `FINAL`,
 * counted by the sequence number every generated line carries, and the receiver's peak memory.
 */

export interface Tally {
  /** Lines the writer wrote, sequence numbers 0 .. written-1. */
  written: number;
  /** Rows of the scenario's lines after FINAL. */
  stored: number;
  /** Sequence numbers written and not stored. */
  lost: number;
  /** Rows after FINAL beyond one per sequence number: the same line under two ids. */
  duplicated: number;
  /** Rows before FINAL (redeliveries that FINAL folds). */
  rawRows: number;
}

/** Runs one SQL query and returns its first value as text. */
export type SqlValue = (query: string) => Promise<string>;

/** Counts the rows of lines 0 .. written-1 in `logpulse.events`. */
export async function tally(sql: SqlValue, written: number, table = 'logpulse.events'): Promise<Tally> {
  const row = await sql(
    `SELECT concat(toString(count()), ' ', toString(uniqExact(seq)), ' ', toString(countIf(seq >= ${written}))) FROM (SELECT ${SEQ_SQL} AS seq FROM ${table} FINAL)`,
  );
  const [stored = NaN, distinct = NaN, outside = NaN] = row.split(' ').map(Number);
  const rawRows = Number(await sql(`SELECT count() FROM ${table}`));
  if (outside !== 0) throw new Error(`${outside} stored rows carry a sequence number never written`);
  return { written, stored, lost: written - distinct, duplicated: stored - distinct, rawRows };
}

/** Sequence numbers below `written` with no row (at most `limit` of them). */
export async function missing(sql: SqlValue, written: number, limit = 200_000, table = 'logpulse.events'): Promise<number[]> {
  // A leading '=' keeps an empty list one row of output.
  const list = await sql(
    `SELECT concat('=', arrayStringConcat(groupArray(toString(number)), ',')) FROM (SELECT number FROM numbers(${written}) WHERE number NOT IN (SELECT ${SEQ_SQL} FROM ${table}) ORDER BY number LIMIT ${limit})`,
  );
  return list === '=' ? [] : list.slice(1).split(',').map(Number);
}

/** Sequence numbers stored more than once after FINAL (at most `limit` of them). */
export async function doubled(sql: SqlValue, limit = 1000, table = 'logpulse.events'): Promise<number[]> {
  const list = await sql(
    `SELECT concat('=', arrayStringConcat(groupArray(toString(seq)), ',')) FROM (SELECT ${SEQ_SQL} AS seq FROM ${table} FINAL GROUP BY seq HAVING count() > 1 ORDER BY seq LIMIT ${limit})`,
  );
  return list === '=' ? [] : list.slice(1).split(',').map(Number);
}

/**
 * Peak resident memory of the receiver processes of a scenario: each process's own high-water
 * mark (VmHWM), read from /proc while it runs; the largest one is reported.
 */
export class PeakRss {
  #peakKb = 0;
  #timers = new Set<NodeJS.Timeout>();

  /** Samples `pid` every `everyMs` until it is gone. */
  watch(pid: number | undefined, everyMs = 200): void {
    if (pid === undefined) return;
    const timer = setInterval(() => {
      readFile(`/proc/${pid}/status`, 'utf8').then(
        (status) => {
          const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
          this.#peakKb = Math.max(this.#peakKb, kb);
        },
        () => {
          clearInterval(timer);
          this.#timers.delete(timer);
        },
      );
    }, everyMs);
    this.#timers.add(timer);
  }

  get peakMb(): number {
    return Math.round(this.#peakKb / 1024);
  }

  stop(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers.clear();
  }
}

/** The one line every scenario prints, read by whoever keeps the README's Guarantees figures. */
export function report(scenario: string, t: Tally, peakRssMb: number | undefined, extra: Record<string, string | number> = {}): string {
  const more = Object.entries(extra).map(([k, v]) => `, ${k} ${v}`).join('');
  const line = `faults ${scenario}: lines written ${t.written}, rows stored (FINAL) ${t.stored}, lost ${t.lost}, duplicated ${t.duplicated}, rows before FINAL ${t.rawRows}, peak RSS ${peakRssMb === undefined ? 'not measured' : `${peakRssMb} MB`}${more}`;
  console.log(line);
  return line;
}
