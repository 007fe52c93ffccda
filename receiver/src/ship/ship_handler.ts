import type { BatchHandler, LineBatch } from '../model/line_batch.js';
import { encodeBatch, type EncodedBatch } from './otlp_log_encoder.js';
import type { OtlpHttpExporter } from './otlp_http_exporter.js';
import { ShipRequestError, ShipStoppedError } from './ship_errors.js';
import { retryDelayMs, type RetrySchedule } from './retry_schedule.js';

/** What the handler tells the status line and the metrics. */
export interface ShipEvents {
  /** A request was stored: its lines, their bytes in the file, and the records the receiver rejected as unparseable. */
  sent(lines: number, fileBytes: number, rejected: number): void;
  /** A request was refused or got no answer; the next attempt comes after `delayMs`. */
  failed(error: ShipRequestError, delayMs: number): void;
  /** A line the receiver refuses even alone (413): counted and skipped, it would block the file forever. */
  dropped(lines: number): void;
}

export interface ShipHandlerOptions {
  source: string;
  exporter: OtlpHttpExporter;
  retry: RetrySchedule;
  /** Requests sent at once; the file source reads on only while fewer are in flight. */
  maxInFlight: number;
  events: ShipEvents;
}

/**
 * The agent's BatchHandler: each batch becomes one export request, sent with up to `maxInFlight`
 * others at once (the receiver answers only once ClickHouse stored the lines, so one at a time
 * would leave the agent waiting on the receiver's flush interval). A batch is acknowledged — its
 * checkpoint may move — only after a 2xx; until then it is tried again, forever, after a backoff
 * or the server's Retry-After. While the window is full the handler's promise does not resolve,
 * so the file source reads nothing new: the log file is the spool.
 */
export class ShipHandler {
  private readonly sending = new Set<Promise<void>>();
  private pendingBytes = 0;
  private readonly stopController = new AbortController();

  constructor(private readonly options: ShipHandlerOptions) {}

  readonly handle: BatchHandler = async (batch) => {
    while (this.sending.size >= this.options.maxInFlight) await this.whenStopped(Promise.race(this.sending));
    this.throwIfStopped();
    const encoded = await encodeBatch(batch, this.options.source);
    this.pendingBytes += encoded.fileBytes;
    const ack = batch.ack;
    const sending = this.sendUntilStored(encoded, batch).then(
      () => ack(),
      // Stopped before it was stored: not acknowledged, read and sent again at the next start.
      () => {},
    );
    const tracked = sending.finally(() => {
      this.sending.delete(tracked);
      this.pendingBytes -= encoded.fileBytes;
    });
    this.sending.add(tracked);
  };

  /** Requests not yet stored. */
  get inFlight(): number {
    return this.sending.size;
  }

  /** Bytes of the file in requests not yet stored: part of the lag. */
  get inFlightBytes(): number {
    return this.pendingBytes;
  }

  /**
   * Waits up to `timeoutMs` for the requests in flight, then stops retrying: what was not stored
   * keeps its checkpoint and is sent again at the next start (the receiver folds the copies).
   */
  async drain(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    await Promise.race([Promise.all(this.sending), timeout]);
    clearTimeout(timer);
    this.stopController.abort();
    // Requests still waiting for an answer end now (their sockets closed), not at their timeout.
    this.options.exporter.close();
    await Promise.all(this.sending);
  }

  private async sendUntilStored(encoded: EncodedBatch, batch: LineBatch): Promise<void> {
    const { exporter, retry, events } = this.options;
    for (let attempt = 0; ; attempt++) {
      this.throwIfStopped();
      try {
        const { rejected } = await exporter.send(encoded.body);
        events.sent(encoded.lines, encoded.fileBytes, rejected);
        return;
      } catch (caught) {
        const error = caught instanceof ShipRequestError ? caught : new ShipRequestError(`ship: ${String(caught)}`, 0, undefined, { cause: caught });
        if (error.status === 413) {
          events.failed(error, 0);
          return this.sendHalves(batch);
        }
        const delayMs = retryDelayMs(attempt, error.retryAfterMs, retry);
        events.failed(error, delayMs);
        await this.sleep(delayMs);
      }
    }
  }

  /** A body over the receiver's limit goes again as two requests; one line over it alone is skipped. */
  private async sendHalves(batch: LineBatch): Promise<void> {
    if (batch.lines.length <= 1) {
      this.options.events.dropped(batch.lines.length);
      return;
    }
    const middle = Math.ceil(batch.lines.length / 2);
    for (const lines of [batch.lines.slice(0, middle), batch.lines.slice(middle)]) {
      const half: LineBatch = { ...batch, lines };
      await this.sendUntilStored(await encodeBatch(half, this.options.source), half);
    }
  }

  /** A wait that keeps the process alive (nothing else may be pending while the receiver is away) and ends at a stop. */
  private sleep(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    return this.whenStopped(new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))).finally(() => clearTimeout(timer));
  }

  /** `promise`, or a ShipStoppedError as soon as the agent stops. */
  private whenStopped<T>(promise: Promise<T>): Promise<T> {
    const signal = this.stopController.signal;
    if (signal.aborted) return Promise.reject(new ShipStoppedError());
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(new ShipStoppedError());
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  private throwIfStopped(): void {
    if (this.stopController.signal.aborted) throw new ShipStoppedError();
  }
}
