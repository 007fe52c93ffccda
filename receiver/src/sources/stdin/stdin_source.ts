import type { Readable } from 'node:stream';
import { hostname } from 'node:os';
import type { BatchHandler, LineBatch, RawLine } from '../../model/line_batch.js';
import { retryDelayMs } from '../source.js';
import { LineSplitter } from '../line_splitter.js';

export interface StdinSourceOptions {
  /** Stream to read. @default process.stdin */
  stream?: Readable;
  /** Source name put on every batch. @default os.hostname() */
  source?: string;
  /** Name of the stream, part of every event id: the batches' fileId is `stdin:<streamName>`. @default the source name */
  streamName?: string;
  /** Format of the lines, passed on with the batches. @default undefined (detected downstream) */
  format?: string;
  /** Lines per batch at most. @default 4096 */
  maxBatchLines?: number;
  /** A batch is handed on once its first line waited this long. @default 200 */
  maxBatchAgeMs?: number;
  /** Lines longer than this are cut and marked truncated. @default 65536 */
  maxLineBytes?: number;
}

/**
 * Lines from a stream (stdin). They carry no offset (-1): their event ids come from their content.
 * Nothing is checkpointed, so acks have nothing to move.
 */
export class StdinSource {
  private readonly stream: Readable;
  private readonly source: string;
  private readonly fileId: string;
  private readonly format: string | undefined;
  private readonly maxBatchLines: number;
  private readonly maxBatchAgeMs: number;
  private readonly splitter: LineSplitter;
  private readonly handler: BatchHandler;
  private pending: RawLine[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Batches are handed on one after the other, whichever of count, age or end sends them. */
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  private run: Promise<void> | undefined;

  constructor(options: StdinSourceOptions, handler: BatchHandler) {
    this.stream = options.stream ?? process.stdin;
    this.source = options.source ?? hostname();
    this.fileId = `stdin:${options.streamName ?? this.source}`;
    this.format = options.format;
    this.maxBatchLines = options.maxBatchLines ?? 4096;
    this.maxBatchAgeMs = options.maxBatchAgeMs ?? 200;
    this.splitter = new LineSplitter(0, options.maxLineBytes ?? 65536);
    this.handler = handler;
  }

  async start(): Promise<void> {
    this.run ??= this.read();
  }

  /** Resolves once the stream ended and every line was handed on. */
  async done(): Promise<void> {
    await this.run;
  }

  /** Stops reading; lines already read are handed on. Idempotent. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    this.stream.destroy();
    await this.run?.catch(() => {});
    await this.chain;
  }

  private async read(): Promise<void> {
    try {
      for await (const chunk of this.stream as AsyncIterable<Buffer | string>) {
        if (this.stopped) break;
        const lines: RawLine[] = [];
        this.splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, lines);
        for (const line of lines) this.pending.push({ ...line, offset: -1, position: line.offset });
        while (this.pending.length >= this.maxBatchLines) await this.send(this.maxBatchLines);
        if (this.pending.length > 0 && !this.timer) {
          this.timer = setTimeout(() => void this.send(this.maxBatchLines).catch(() => {}), this.maxBatchAgeMs);
          this.timer.unref();
        }
      }
    } catch {
      // A destroyed stream ends the reading; what was read is still handed on below.
    }
    const last = this.splitter.flushPartial();
    if (last) this.pending.push({ ...last, offset: -1, position: last.offset });
    while (this.pending.length > 0) await this.send(this.maxBatchLines);
    await this.chain;
  }

  /** Hands on up to `count` pending lines, after any batch already on its way. */
  private send(count: number): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const lines = this.pending.splice(0, count);
    if (lines.length === 0) return this.chain;
    const format = this.format;
    const batch = { source: this.source, file: '', fileId: this.fileId, lines, ack: () => {}, ...(format === undefined ? {} : { format }) };
    this.chain = this.chain.then(() => this.deliver(batch));
    return this.chain;
  }

  /**
   * Hands a batch on until the pipeline takes it: a stream cannot be read again, so the lines of a
   * refused batch are kept and handed on again after a backoff, with the same positions (ids).
   */
  private async deliver(batch: LineBatch): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.handler(batch);
        return;
      } catch {
        if (this.stopped) return;
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt, 200, 10_000)).unref());
      }
    }
  }
}
