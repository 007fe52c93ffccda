import type { Event } from '../pipeline/event.js';
import type { EventSlice } from './row_encoder.js';

/** One `write` call: its events, how many are taken into batches, how many are not yet stored. */
export interface QueuedWrite {
  readonly events: readonly Event[];
  readonly onStored: () => void;
  readonly seq: number;
  readonly queuedAt: number;
  taken: number;
  unstored: number;
}

/** Consecutive rows taken from the queue for one insert. */
export interface Batch {
  readonly slices: EventSlice[];
  /** The write each slice comes from, index for index. */
  readonly owners: QueuedWrite[];
  readonly rows: number;
  readonly firstId: bigint;
  readonly lastId: bigint;
}

/**
 * The sink's queue: rows written but not yet acknowledged, in order. Batches are cut across
 * `write` calls (a call may be split over two batches); `onStored` callbacks fire in the order of
 * the calls, once all of a call's rows are acknowledged, also for calls without events.
 */
export class WriteQueue {
  /** Entries not fully taken into batches, oldest first. */
  readonly #untaken: QueuedWrite[] = [];
  /** Entries whose `onStored` has not fired, oldest first (a superset of `#untaken`). */
  readonly #unstored: QueuedWrite[] = [];
  #lastSeq = 0;
  #storedSeq = 0;
  /** Rows written and not yet acknowledged, in flight included. */
  rows = 0;
  /** Rows not yet taken into a batch. */
  untakenRows = 0;

  constructor(private readonly onCallbackError: (error: unknown) => void) {}

  get lastSeq(): number {
    return this.#lastSeq;
  }

  get storedSeq(): number {
    return this.#storedSeq;
  }

  /** When the oldest row not yet taken was written, undefined when none waits. */
  get oldestUntakenAt(): number | undefined {
    return this.#untaken[0]?.queuedAt;
  }

  push(events: readonly Event[], onStored: () => void, now: number): number {
    const entry: QueuedWrite = { events, onStored, seq: ++this.#lastSeq, queuedAt: now, taken: 0, unstored: events.length };
    this.#unstored.push(entry);
    if (events.length > 0) this.#untaken.push(entry);
    this.rows += events.length;
    this.untakenRows += events.length;
    this.#fireStored();
    return entry.seq;
  }

  /** Takes up to `maxRows` rows, oldest first; undefined when nothing waits. */
  take(maxRows: number): Batch | undefined {
    const slices: EventSlice[] = [];
    const owners: QueuedWrite[] = [];
    let rows = 0;
    while (rows < maxRows) {
      const entry = this.#untaken[0];
      if (entry === undefined) break;
      const end = Math.min(entry.events.length, entry.taken + (maxRows - rows));
      slices.push({ events: entry.events, start: entry.taken, end });
      owners.push(entry);
      rows += end - entry.taken;
      entry.taken = end;
      if (entry.taken === entry.events.length) this.#untaken.shift();
    }
    const first = slices[0];
    const last = slices[slices.length - 1];
    if (first === undefined || last === undefined) return undefined;
    this.untakenRows -= rows;
    return {
      slices,
      owners,
      rows,
      firstId: (first.events[first.start] as Event).eventId,
      lastId: (last.events[last.end - 1] as Event).eventId,
    };
  }

  /** Marks a batch as stored and fires the `onStored` callbacks now complete, in order. */
  acknowledge(batch: Batch): void {
    batch.slices.forEach((slice, i) => {
      (batch.owners[i] as QueuedWrite).unstored -= slice.end - slice.start;
    });
    this.rows -= batch.rows;
    this.#fireStored();
  }

  #fireStored(): void {
    for (let entry = this.#unstored[0]; entry !== undefined && entry.unstored === 0; entry = this.#unstored[0]) {
      this.#unstored.shift();
      this.#storedSeq = entry.seq;
      try {
        entry.onStored();
      } catch (error) {
        this.onCallbackError(error);
      }
    }
  }
}
