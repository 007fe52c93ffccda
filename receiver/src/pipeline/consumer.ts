import type { Event } from '../model/event.js';

/**
 * Everything that looks at parsed events besides storage: metrics, the alert evaluator, the
 * period stats of the terminal view. Called once per batch, on the hot path: aggregate, don't
 * allocate per event.
 */
export interface EventConsumer {
  consume(events: readonly Event[]): void;
}

/** Where events are stored (ClickHouse). One writer, in order. */
export interface EventSink {
  /** Connects and (unless told not to) applies the schema. Fails fast with a clear error. */
  start(): Promise<void>;
  /**
   * Queues events for storage. Resolves when the queue has room again (backpressure).
   * `onStored` is called once every event of this call is acknowledged by the store, and the
   * calls' `onStored` run in the order of the `write` calls, also for an empty `events`.
   */
  write(events: readonly Event[], onStored: () => void): Promise<void>;
  /** Writes everything queued; resolves once it is acknowledged. */
  flush(): Promise<void>;
  /** Flushes (bounded in time) and closes. Idempotent. */
  shutdown(): Promise<void>;
}
