import type { Attributes, Counter } from '@opentelemetry/api';

/** What one label set of a counter has gathered since the last collection. */
export interface Tally {
  readonly attributes: Attributes;
  value: number;
}

/** A tally at zero, for the label set `attributes`. */
export function tally(attributes: Attributes): Tally {
  return { attributes, value: 0 };
}

/**
 * Sums a counter's increments between two collections and hands them over as one `add` per label
 * set. The SDK hashes the attributes on every `add` (a sort and a JSON.stringify, microseconds
 * each), which per event or even per batch cost more than everything else the metrics do.
 *
 * Label sets reach the SDK in the order they were first counted since the last collection, as
 * they would with one `add` per event: past the cardinality limit, the SDK folds the same ones
 * into its overflow series.
 */
export class PendingAdds {
  private pending: Tally[] = [];

  constructor(private readonly counter: Counter) {}

  /** Adds `value` (greater than 0) to `tally`. */
  add(tally: Tally, value: number): void {
    if (tally.value === 0) this.pending.push(tally);
    tally.value += value;
  }

  /** Adds every pending sum to the counter and starts the next interval from zero. */
  flush(): void {
    const pending = this.pending;
    this.pending = [];
    for (const tally of pending) {
      this.counter.add(tally.value, tally.attributes);
      tally.value = 0;
    }
  }
}
