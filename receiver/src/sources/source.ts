import type { BatchHandler, LineBatch, RawLine } from '../model/line_batch.js';

export type { BatchHandler, LineBatch, RawLine };

/**
 * What every source (file, stdin; OTLP and syslog next) is to the receiver. It hands its lines on
 * as `LineBatch`es through the handler given at construction, each with its origin and an `ack`
 * the sink calls once the batch is stored; the source's position (a checkpoint, an OTLP 200, a
 * TCP read) moves only on that ack. A handler that rejects means the batch was not stored: the
 * source hands the same lines on again, from the batch's first line, after a backoff.
 */
export interface Source {
  /** Opens what it reads (fails fast with a clear error) and starts handing batches on. */
  start(): Promise<void>;
  /** Resolves once everything there is was read and acknowledged (`--once`, a closed stream). */
  done(): Promise<void>;
  /**
   * Stops reading, runs `drain` (the sink's flush, whose acks still move positions), then saves
   * the acknowledged positions. Idempotent, bounded in time.
   */
  shutdown(drain?: () => Promise<void>): Promise<void>;
}

/** A batch the handler refused; the source reads again from `offset`, the batch's first line. */
export class BatchFailedError extends Error {
  override readonly name = 'BatchFailedError';
  readonly offset: number;

  constructor(fileId: string, offset: number, options: { cause: unknown }) {
    super(`source: batch of ${fileId} at offset ${offset} not stored: ${messageOf(options.cause)}`, options);
    this.offset = offset;
  }
}

/** Delay before the `attempt`-th retry (0-based) of a failed batch: doubling, capped. */
export function retryDelayMs(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
