import { AckQueue } from './ack_queue.js';
import type { CheckpointEntry } from './checkpoint_format.js';
import { CheckpointStore, type CheckpointStoreOptions } from './checkpoint_store.js';

/** What a source holds for one batch it handed on: the sink calls `ack`, a failure calls `fail`. */
export interface BatchReceipt {
  /** The batch is stored: the checkpoint may move past it once every batch before it is. */
  readonly ack: () => void;
  /** The batch was not stored: it and every batch after it are read again from `startOffset`. */
  readonly fail: () => void;
}

export type CommitterOptions = Omit<CheckpointStoreOptions, 'inUse'>;

/**
 * The one place where "a checkpoint moves only after ClickHouse acknowledged" is kept: the
 * acknowledgement order of every file's batches, how far each file was handed on, and the
 * checkpoint store, which nothing else writes. A file id with batches in flight is in use, and a
 * checkpoint in use is never pruned, however many files there are.
 */
export class Committer {
  readonly store: CheckpointStore;
  private readonly queues = new Map<string, AckQueue>();
  /** Offset up to which lines of a file id were handed on (ahead of its checkpoint while acks are due). */
  private readonly handedOn = new Map<string, number>();
  /** File ids someone still reads or holds (open files, files present on disk): never pruned. */
  private readonly holders: Array<(fileId: string) => boolean> = [];

  private constructor(store: CheckpointStore) {
    this.store = store;
  }

  static async open(options: CommitterOptions): Promise<Committer> {
    let committer: Committer | undefined;
    const store = await CheckpointStore.open({ ...options, inUse: (id) => committer?.inUse(id) ?? true });
    committer = new Committer(store);
    return committer;
  }

  /** Adds a test of "this file id is still in use", consulted before pruning. */
  holdWhile(holds: (fileId: string) => boolean): void {
    this.holders.push(holds);
  }

  inUse(fileId: string): boolean {
    return this.queues.has(fileId) || this.holders.some((holds) => holds(fileId));
  }

  entries(): IterableIterator<CheckpointEntry> {
    return this.store.entries();
  }

  /** Entries a file whose first bytes are `head` may be. */
  candidates(head: Buffer): Iterable<CheckpointEntry> {
    return this.store.candidates(head);
  }

  has(fileId: string): boolean {
    return this.store.has(fileId);
  }

  /** Records a file seen for the first time (or a finished .gz). */
  record(entry: CheckpointEntry): void {
    this.store.put(entry);
  }

  /** Changes what is known of a file besides its offset (path, fingerprint, finished, last seen). */
  update(fileId: string, patch: Partial<Omit<CheckpointEntry, 'fileId' | 'offset'>>): void {
    this.store.update(fileId, patch);
  }

  touch(fileIds: Iterable<string>): void {
    this.store.touch(fileIds);
  }

  /** Offset up to which `fileId` was handed on, if anything was in this run and not forgotten. */
  handedOnUpTo(fileId: string): number | undefined {
    return this.handedOn.get(fileId);
  }

  /** Registers a batch of `fileId` holding the lines from `startOffset` to `endOffset`. */
  handOn(fileId: string, startOffset: number, endOffset: number): BatchReceipt {
    const queue = this.queue(fileId);
    this.handedOn.set(fileId, endOffset);
    const item = queue.add(endOffset);
    return {
      ack: item,
      fail: () => {
        queue.cancelFrom(item);
        const upTo = this.handedOn.get(fileId);
        if (upTo === undefined || upTo > startOffset) this.handedOn.set(fileId, startOffset);
      },
    };
  }

  /** Calls `fn` once every batch of `fileId` handed on so far is acknowledged. */
  whenAcked(fileId: string, fn: () => void): void {
    this.queue(fileId).whenAcked(fn);
  }

  /** Resolves once every batch handed on so far, of every file, is acknowledged. */
  async drained(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.drained()));
  }

  /** Drops what is kept for `fileId` in memory once its batches are acknowledged (its checkpoint stays). */
  forget(fileId: string): void {
    const queue = this.queues.get(fileId);
    if (queue && queue.pending > 0) return;
    this.queues.delete(fileId);
    this.handedOn.delete(fileId);
  }

  /** Sizes of the per-file state, for tests and the debug log. */
  stats(): { ackQueues: number; handedOn: number; checkpoints: number } {
    return { ackQueues: this.queues.size, handedOn: this.handedOn.size, checkpoints: this.store.size };
  }

  flush(): Promise<void> {
    return this.store.flush();
  }

  close(): Promise<void> {
    return this.store.close();
  }

  get path(): string {
    return this.store.path;
  }

  private queue(fileId: string): AckQueue {
    let queue = this.queues.get(fileId);
    if (!queue) {
      queue = new AckQueue((offset) => this.store.commit(fileId, offset));
      this.queues.set(fileId, queue);
    }
    return queue;
  }
}
