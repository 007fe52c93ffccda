interface Pending {
  endOffset: number;
  acked: boolean;
  /** Failed: it and the batches after it are read again; their acks no longer count. */
  cancelled?: boolean;
  onReached?: () => void;
}

/**
 * The batches of one file still waiting for storage, in reading order. Acks may arrive late, and
 * even out of order: the committed offset only moves past batches that are all acknowledged.
 */
export class AckQueue {
  private readonly items: Pending[] = [];
  /** Items by their ack function, to find a failed one; weak, so an ack the sink dropped costs nothing. */
  private readonly byAck = new WeakMap<() => void, Pending>();
  private readonly commit: (offset: number) => void;

  /** `commit` receives each new acknowledged offset, in increasing order. */
  constructor(commit: (offset: number) => void) {
    this.commit = commit;
  }

  /** Batches handed out and not yet acknowledged. */
  get pending(): number {
    return this.items.filter((item) => !item.acked).length;
  }

  /** Registers a batch whose lines end at `endOffset` and returns its ack (extra calls do nothing). */
  add(endOffset: number): () => void {
    const item: Pending = { endOffset, acked: false };
    this.items.push(item);
    const ack = (): void => {
      if (item.acked || item.cancelled) return;
      item.acked = true;
      this.advance();
    };
    this.byAck.set(ack, item);
    return ack;
  }

  /**
   * The batch of `ack` failed: it and every batch added after it are dropped (they are read again
   * and added anew), so the committed offset stays before its first line.
   */
  cancelFrom(ack: () => void): void {
    const item = this.byAck.get(ack);
    const index = item ? this.items.indexOf(item) : -1;
    if (index === -1) return;
    const kept: Pending[] = [];
    for (const later of this.items.splice(index)) {
      if (later.onReached) kept.push({ ...later, endOffset: this.items[this.items.length - 1]?.endOffset ?? 0 });
      else later.cancelled = true;
    }
    this.items.push(...kept);
    this.advance();
  }

  /** Calls `fn` once every batch added so far is acknowledged (at once if none is waiting). */
  whenAcked(fn: () => void): void {
    if (this.items.length === 0) {
      fn();
      return;
    }
    const last = this.items[this.items.length - 1];
    this.items.push({ endOffset: last?.endOffset ?? 0, acked: true, onReached: fn });
    this.advance();
  }

  /** Resolves once every batch added so far is acknowledged. */
  drained(): Promise<void> {
    return new Promise((resolve) => this.whenAcked(resolve));
  }

  private advance(): void {
    let offset: number | undefined;
    while (this.items[0]?.acked) {
      const item = this.items.shift() as Pending;
      if (item.onReached) {
        if (offset !== undefined) this.commit(offset);
        offset = undefined;
        item.onReached();
      } else {
        offset = item.endOffset;
      }
    }
    if (offset !== undefined) this.commit(offset);
  }
}
