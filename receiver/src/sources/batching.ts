import type { RawLine } from '../model/line_batch.js';

/** Hands lines on: `lines` are consecutive, and `endOffset` is where the line after the last one starts. */
export type EmitLines = (lines: RawLine[], endOffset: number) => Promise<void>;

/**
 * Emits full batches of `maxBatchLines` from the front of `out` (all of it when `all`), awaiting
 * each one (backpressure). `lineEnd` is the offset after the last line in `out`. Returns the count.
 */
export async function emitBatches(
  out: RawLine[],
  lineEnd: number,
  maxBatchLines: number,
  emit: EmitLines,
  all: boolean,
): Promise<number> {
  let batches = 0;
  while (out.length >= maxBatchLines || (all && out.length > 0)) {
    const lines = out.splice(0, maxBatchLines);
    await emit(lines, out[0]?.offset ?? lineEnd);
    batches++;
  }
  return batches;
}
