/** Seconds per chunk: one hour of counts (28 KB) is allocated at a time, and only where events fall. */
const CHUNK_SECONDS = 3600;

interface Chunk {
  counts: Float64Array;
  /** Sum of `counts`: the chunk is freed when it drops to 0. */
  total: number;
}

/**
 * Counts per second of event time, for the seconds not yet evaluated and those still in the
 * window. Memory follows the span of event time held (one chunk per hour that holds a count), not
 * the traffic: a live log holds a few minutes, a batch import at most its hold horizon.
 */
export class SecondCounts {
  private readonly chunks = new Map<number, Chunk>();
  /** The chunk of the last `add`: lines come in runs of the same hour, so most adds skip the map. */
  private lastIndex = Number.NaN;
  private lastChunk: Chunk | undefined;

  add(second: number, count: number): void {
    const index = chunkOf(second);
    let chunk = index === this.lastIndex ? this.lastChunk : this.chunks.get(index);
    if (!chunk) this.chunks.set(index, (chunk = { counts: new Float64Array(CHUNK_SECONDS), total: 0 }));
    this.lastIndex = index;
    this.lastChunk = chunk;
    chunk.counts[second - index * CHUNK_SECONDS]! += count;
    chunk.total += count;
  }

  get(second: number): number {
    const index = chunkOf(second);
    return this.chunks.get(index)?.counts[second - index * CHUNK_SECONDS] ?? 0;
  }

  /** Returns the count of `second` and forgets it. */
  take(second: number): number {
    const index = chunkOf(second);
    const chunk = this.chunks.get(index);
    if (!chunk) return 0;
    const slot = second - index * CHUNK_SECONDS;
    const count = chunk.counts[slot]!;
    if (count === 0) return 0;
    chunk.counts[slot] = 0;
    chunk.total -= count;
    if (chunk.total === 0) {
      this.chunks.delete(index);
      if (this.lastChunk === chunk) this.lastChunk = undefined;
      this.lastIndex = Number.NaN;
    }
    return count;
  }

  /** The first second after `second` that holds a count, undefined when none does. */
  firstAfter(second: number): number | undefined {
    let best: number | undefined;
    const from = chunkOf(second + 1);
    for (const index of this.chunks.keys()) if (index >= from && (best === undefined || index < best)) best = index;
    while (best !== undefined) {
      const counts = this.chunks.get(best)!.counts;
      const start = Math.max(0, second + 1 - best * CHUNK_SECONDS);
      for (let slot = start; slot < CHUNK_SECONDS; slot += 1) if (counts[slot]! !== 0) return best * CHUNK_SECONDS + slot;
      // Every count of this chunk is at or before `second`: look at the next chunk.
      let next: number | undefined;
      for (const index of this.chunks.keys()) if (index > best && (next === undefined || index < next)) next = index;
      best = next;
    }
    return undefined;
  }

  /** Chunks held now (for tests of the memory bound). */
  get chunkCount(): number {
    return this.chunks.size;
  }
}

function chunkOf(second: number): number {
  // Math.floor keeps seconds before 1970 (negative) in the right chunk.
  return Math.floor(second / CHUNK_SECONDS);
}
