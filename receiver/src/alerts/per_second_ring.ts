/**
 * Counts per second of event time in a fixed ring: second `s` lives in slot `s mod size`, so the
 * memory is the ring's size whatever the traffic. The owner guarantees that no two seconds held at
 * the same time share a slot (it clears a second before the slot comes round again).
 */
export class PerSecondRing {
  private readonly counts: Float64Array;

  constructor(readonly size: number) {
    this.counts = new Float64Array(size);
  }

  add(second: number, count: number): void {
    this.counts[this.slot(second)]! += count;
  }

  get(second: number): number {
    return this.counts[this.slot(second)]!;
  }

  /** Returns the count of `second` and frees its slot. */
  take(second: number): number {
    const slot = this.slot(second);
    const count = this.counts[slot]!;
    this.counts[slot] = 0;
    return count;
  }

  private slot(second: number): number {
    // Seconds before 1970 are negative: keep the slot in [0, size).
    return ((second % this.size) + this.size) % this.size;
  }
}
