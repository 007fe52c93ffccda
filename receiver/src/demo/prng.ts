/**
 * The seeded randomness of the demo generators. mulberry32 is tiny, fast (one multiply chain per
 * number) and good enough for plausible-looking logs; what matters is that a seed always gives the
 * same bytes, so the benchmark file and the tests are reproducible.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max], both included. */
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /**
   * An integer spread over [min, max] on a log scale: as many values between 1 and 10 KiB as
   * between 10 and 100 KiB, which is how response and file sizes are spread in real logs.
   */
  logBetween(min: number, max: number): number {
    return Math.round(min * Math.pow(max / min, this.next()));
  }

  /** An index in [0, n) skewed toward 0: a few heavy hitters and a long tail. */
  skewed(n: number): number {
    const r = this.next();
    return Math.floor(r * r * n);
  }
}

/**
 * A weighted choice that costs one random number and one array read: every item is repeated
 * `weight` times in a lookup table. Weights are small integers (percent-like), so the table stays small.
 */
export class WeightedTable<T> {
  private readonly table: T[] = [];

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    for (const [item, weight] of entries) {
      if (!Number.isInteger(weight) || weight < 0) {
        throw new RangeError(`demo: weight of ${String(item)}: expected a non-negative integer, got ${weight}`);
      }
      for (let i = 0; i < weight; i++) this.table.push(item);
    }
    if (this.table.length === 0) throw new RangeError('demo: weighted table: expected at least one positive weight');
  }

  pick(prng: Prng): T {
    return this.table[Math.floor(prng.next() * this.table.length)] as T;
  }
}

/** `count` lowercase base32hex characters, the alphabet of the xid ids SFTPGo uses for connections. */
export function randomId(prng: Prng, count: number): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  let id = '';
  for (let i = 0; i < count; i++) id += alphabet[prng.int(32)];
  return id;
}
