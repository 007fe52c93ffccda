/** One `write` call: when all its rows are stored, its `onStored` fires. */
export interface QueuedWrite {
  readonly onStored: () => void;
  /** Called instead of `onStored` when the sink gives up on this write's rows. */
  readonly onFailed: ((error: Error) => void) | undefined;
  readonly seq: number;
  /** Rows of this call not yet acknowledged. */
  unstored: number;
}

/** Rows of one write that went into one batch (a write may be split over two batches). */
export interface BatchPart {
  readonly write: QueuedWrite;
  rows: number;
}

/**
 * The sink's bookkeeping of writes not yet acknowledged, in order: `onStored` callbacks fire in
 * the order of the calls, once all of a call's rows are acknowledged, also for calls without
 * events.
 */
export class WriteQueue {
  /** Writes whose `onStored` has not fired, oldest first. */
  readonly #unstored: QueuedWrite[] = [];
  #lastSeq = 0;
  #storedSeq = 0;
  /** Rows written and not yet acknowledged, in flight included. */
  rows = 0;

  constructor(private readonly onCallbackError: (error: unknown) => void) {}

  get lastSeq(): number {
    return this.#lastSeq;
  }

  get storedSeq(): number {
    return this.#storedSeq;
  }

  push(rows: number, onStored: () => void, onFailed?: (error: Error) => void): QueuedWrite {
    const write: QueuedWrite = { onStored, onFailed, seq: ++this.#lastSeq, unstored: rows };
    this.#unstored.push(write);
    this.rows += rows;
    this.#fireStored();
    return write;
  }

  /** Marks a batch's rows as stored and fires the `onStored` callbacks now complete, in order. */
  acknowledge(parts: readonly BatchPart[]): void {
    for (const part of parts) {
      part.write.unstored -= part.rows;
      this.rows -= part.rows;
    }
    this.#fireStored();
  }

  /** The sink gave up: every write not yet stored hears `error` through its `onFailed`, once. */
  fail(error: Error): void {
    for (const write of this.#unstored.splice(0)) {
      try {
        write.onFailed?.(error);
      } catch (callbackError) {
        this.onCallbackError(callbackError);
      }
    }
  }

  #fireStored(): void {
    for (let write = this.#unstored[0]; write !== undefined && write.unstored === 0; write = this.#unstored[0]) {
      this.#unstored.shift();
      this.#storedSeq = write.seq;
      try {
        write.onStored();
      } catch (error) {
        this.onCallbackError(error);
      }
    }
  }
}
