import type { LineBatch, RawLine } from '../../model/line_batch.js';
import { retryDelayMs } from '../source.js';
import type { SyslogStream } from './syslog_streams.js';

export interface SyslogBatcherOptions {
  maxBatchLines: number;
  maxBatchAgeMs: number;
  maxPendingBytes: number;
  format: string | undefined;
  /** A batch the pipeline refused; it is handed on again after a backoff. */
  onRefused: (error: unknown, attempt: number) => void;
}

/**
 * The pipeline's `handle` (or any BatchHandler): resolves when the pipeline has room. What it
 * resolves with (a CountingBatchHandler's outcome) is not needed here.
 */
export type SyslogBatchHandler = (batch: LineBatch) => Promise<unknown>;

interface Pending {
  stream: SyslogStream;
  lines: RawLine[];
}

/**
 * Gathers messages into one batch per stream and hands the batches to the pipeline one round at a
 * time: a round takes what is pending and awaits the handler for each batch, which resolves when
 * the pipeline has room. While a round runs, new messages wait (up to `maxPendingBytes`); TCP
 * connections await the round before reading on, UDP datagrams past the bound are dropped.
 */
export class SyslogBatcher {
  private pending = new Map<string, Pending>();
  private pendingLines = 0;
  private pendingBytes = 0;
  private round: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly handler: SyslogBatchHandler,
    private readonly options: SyslogBatcherOptions,
  ) {}

  /** True when no more messages should be taken until a round ends. */
  get full(): boolean {
    return this.pendingBytes >= this.options.maxPendingBytes;
  }

  /** True while batches are being handed on (the pipeline has not taken them all yet). */
  get busy(): boolean {
    return this.round !== undefined;
  }

  add(stream: SyslogStream, text: string): void {
    let group = this.pending.get(stream.fileId);
    if (!group) {
      group = { stream, lines: [] };
      this.pending.set(stream.fileId, group);
    }
    group.lines.push({ offset: -1, text, position: stream.nextPosition++ });
    this.pendingLines++;
    this.pendingBytes += text.length;
    if (this.pendingLines >= this.options.maxBatchLines || this.full) this.kick();
    else if (!this.timer && !this.round) {
      this.timer = setTimeout(() => this.kick(), this.options.maxBatchAgeMs);
      this.timer.unref();
    }
  }

  /** Resolves when the round now running (if any) has handed its batches on. */
  async roundDone(): Promise<void> {
    await this.round;
  }

  /** Hands on everything pending, then resolves. */
  async flush(): Promise<void> {
    while (this.round || this.pendingLines > 0) {
      if (!this.round) this.kick();
      await this.round;
    }
  }

  /** Stops the age timer and the retries of refused batches; what is pending stays until `flush`. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private kick(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.round || this.pendingLines === 0) return;
    const groups = [...this.pending.values()];
    this.pending = new Map();
    this.pendingLines = 0;
    this.pendingBytes = 0;
    this.round = this.handOn(groups).finally(() => {
      this.round = undefined;
      // Messages that came in meanwhile go in the next round, at once if there are enough.
      if (this.pendingLines >= this.options.maxBatchLines || this.full) this.kick();
      else if (this.pendingLines > 0 && !this.timer) {
        this.timer = setTimeout(() => this.kick(), this.options.maxBatchAgeMs);
        this.timer.unref();
      }
    });
  }

  /**
   * Hands a batch on until the pipeline takes it: a sender cannot be asked for the lines again, so
   * a refused batch is kept and handed on again after a backoff, with the same positions (ids).
   * Meanwhile the round stays busy: TCP waits and UDP past the bound is dropped.
   */
  private async deliver(batch: LineBatch): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.handler(batch);
        return;
      } catch (error) {
        if (this.stopped) return;
        this.options.onRefused(error, attempt);
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt, 200, 10_000)).unref());
      }
    }
  }

  private async handOn(groups: readonly Pending[]): Promise<void> {
    for (const { stream, lines } of groups) {
      for (let start = 0; start < lines.length; start += this.options.maxBatchLines) {
        const batch: LineBatch = {
          source: stream.source,
          file: stream.file,
          fileId: stream.fileId,
          lines: lines.slice(start, start + this.options.maxBatchLines),
          // Not a path on this machine: the pipeline never reads it for header lines.
          remote: true,
          // Nothing to commit: a syslog sender keeps no offset that could be moved.
          ack: () => {},
          ...(this.options.format === undefined ? {} : { format: this.options.format }),
        };
        await this.deliver(batch);
      }
    }
  }
}
