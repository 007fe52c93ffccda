import type { AlertTransition } from '../alerts/alert_transition.js';
import type { EventSink } from '../pipeline/consumer.js';
import type { Event } from '../model/event.js';
import type { IngestRow } from '../pipeline/ingest_minutes.js';
import type { FileInsertBody as InsertBody } from '../clickhouse/chdb_file_insert.js';
import { DataDirError, InsertError, messageOf } from '../clickhouse/errors.js';
import { InsertAttempts } from './insert_attempts.js';
import { DeadLetterFile, deadLetterDir, type DeadLetter } from './dead_letter.js';
import { isolateRefusedRows } from './refused_rows.js';
import type { EventRowWriter } from './encoders/event_row_writer.js';
import { EventBatch } from './event_batch.js';
import { RowBinaryEventWriter } from './encoders/row_binary_encoder.js';
import { ALERT_COLUMNS, encodeAlert, encodeIngest, EVENT_COLUMNS, INGEST_COLUMNS, TsvEventWriter } from './encoders/row_encoder.js';
import { applySchema } from '../clickhouse/schema.js';
import { resolveSinkOptions, type ClickHouseSinkOptions, type ResolvedSinkOptions } from './sink_options.js';
import { BodyFile, bodyPath } from '../clickhouse/body_file.js';
import { chdbInsertsDir, openStore, type Store } from '../clickhouse/store.js';
import { WriteQueue, type QueuedWrite } from './write_queue.js';

/** First room for an in-memory insert body; it doubles as rows come (a live tail's batches stay small). */
const INITIAL_BODY_BYTES = 64 * 1024;
/** With `giveUpOnPermanentErrors`: this many rows refused one by one, none stored, and the table is at fault. */
const UNSTORABLE_ROWS = 16;
/** Rows of a body written to a file go in chunks of this size. */
const BODY_CHUNK_BYTES = 1024 * 1024;

/**
 * Stores events in ClickHouse (embedded chDB or a server): batches of up to `batchRows` rows and
 * `batchBytes` bytes, encoded as they are written, one insert in flight, retried with backoff
 * while running. `write()` waits while `maxQueueRows` rows or `maxQueueBytes` bytes of bodies are
 * unacknowledged, which is how an outage or a full disk stops the sources instead of filling
 * memory or the disk. A batch ClickHouse refuses for good is split until the refused rows are
 * found; the others are stored, those go to the dead-letter file, and the batch is acknowledged.
 * Each batch carries an insert_deduplication_token made of its first and last event ids and its
 * size, so an insert retried after a lost acknowledgement is stored once.
 */
export class ClickHouseSink implements EventSink {
  readonly #options: ResolvedSinkOptions;
  readonly #queue: WriteQueue;
  readonly #attempts: InsertAttempts;
  readonly #deadLetters: DeadLetterFile | undefined;
  #store: Store | undefined;
  #pumping: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #flushing = 0;
  #closing = false;
  /** Set when shutdown's time is up: pending retries stop, unstored rows stay unacknowledged. */
  #abandoned = false;
  #shutdown: Promise<void> | undefined;
  #roomWaiters: Array<() => void> = [];
  #storedWaiters: Array<{ seq: number; resolve: () => void; reject: (error: Error) => void }> = [];
  /** This receiver's run in the ingest table: when it was made, epoch ms. */
  readonly #run = Date.now();
  /** Inserts go one at a time: events and alerts share the store. */
  #insertChain: Promise<unknown> = Promise.resolve();
  /** The batch being filled by `write`. */
  #open: EventBatch | undefined;
  /** Full (or due) batches waiting for their insert, oldest first; the first may be in flight. */
  readonly #sealed: EventBatch[] = [];
  #resolveFailure: (error: Error) => void = () => {};
  /** Why the sink gave up, when it did before shutdown. */
  #gaveUpOn: Error | undefined;
  /**
   * Resolves with the reason when the sink gave up (only with `giveUpOnPermanentErrors`): the store
   * refuses every insert (unknown table, credentials), or the data disk refused for `giveUpAfterMs`.
   */
  readonly failure: Promise<Error> = new Promise((resolve) => (this.#resolveFailure = resolve));

  constructor(options: ClickHouseSinkOptions) {
    this.#options = resolveSinkOptions(options);
    this.#queue = new WriteQueue((error) =>
      this.#options.logger.warn({ err: messageOf(error) }, 'clickhouse sink: an onStored callback threw'),
    );
    this.#attempts = new InsertAttempts(this.#options, {
      stopped: () => this.#abandoned,
      giveUp: (reason) => {
        this.#resolveFailure(reason);
        this.#abandon(reason);
      },
    });
    const { dataDir, deadLetterMaxBytes } = this.#options;
    if (dataDir !== '') this.#deadLetters = new DeadLetterFile(deadLetterDir(dataDir), deadLetterMaxBytes);
  }

  /** Where refused rows are written, undefined without a data directory (they are then only logged). */
  get deadLetterFile(): string | undefined {
    return this.#deadLetters?.path;
  }

  /** How logs name the store (`chDB at …` or the URL without password); undefined before start. */
  get target(): string | undefined {
    return this.#store?.target;
  }

  /** Started, and the latest insert (if any) was acknowledged: what `/readyz` reports. */
  get storing(): boolean {
    return this.#store !== undefined && !this.#closing && !this.#attempts.failing;
  }

  async start(): Promise<void> {
    if (this.#store !== undefined) return;
    const o = this.#options;
    const store = await openStore({ url: o.url, dataDir: o.dataDir, env: o.env, requestTimeoutMs: o.requestTimeoutMs });
    try {
      if (o.migrate) {
        const retention = await applySchema(store, { database: o.database, table: o.table, retentionDays: o.retentionDays, schemaFile: o.schemaFile });
        const table = `${o.database}.${o.table}`;
        if (retention === 'removed') {
          o.logger.info({ table }, 'no retention configured: removed the TTL of an earlier version, history is kept');
        } else if (retention === 'set') {
          o.logger.info({ table, retentionDays: o.retentionDays }, 'retention set: rows older than this are not written, and expire from the table');
        }
      }
      await this.#attempts.use(store);
    } catch (error) {
      await store.close().catch(() => {});
      throw error;
    }
    this.#store = store;
    this.#schedule();
  }

  /**
   * `onStored` fires once every event of this call is stored (or dead-lettered); `onFailed`, if
   * given, fires instead when the sink gives up on rows of this call (a batch import that meets a
   * store or disk that refuses, or a shutdown before they were stored): the caller reads them again.
   */
  async write(events: readonly Event[], onStored: () => void, onFailed?: (error: Error) => void): Promise<void> {
    if (this.#closing) throw new Error('clickhouse sink: write after shutdown');
    this.#encode(events, this.#queue.push(events.length, onStored, onFailed));
    this.#options.telemetry.sinkQueueRows(this.#queue.rows);
    this.#schedule();
    while (this.#full() && !this.#abandoned) {
      await new Promise<void>((resolve) => this.#roomWaiters.push(resolve));
    }
  }

  /** Too many rows unacknowledged, or too many bytes of insert bodies waiting (they sit on the data disk). */
  #full(): boolean {
    const o = this.#options;
    if (this.#queue.rows >= o.maxQueueRows) return true;
    let bytes = this.#open?.bytes ?? 0;
    for (const batch of this.#sealed) bytes += batch.bytes;
    return bytes >= o.maxQueueBytes;
  }

  /** Encodes the write's events into the open batch, sealing each batch that fills up. */
  #encode(events: readonly Event[], write: QueuedWrite): void {
    const { batchRows, batchBytes } = this.#options;
    for (let start = 0; start < events.length;) {
      const batch = this.#open ??= new EventBatch(Date.now(), this.#rowWriter());
      start = batch.add(events, start, Math.min(events.length, start + batchRows - batch.rows), write, batchBytes);
      if (batch.rows >= batchRows || batch.bytes >= batchBytes) this.#seal();
    }
  }

  /**
   * The embedded engine reads RowBinary fastest and it is the cheapest body to build; a server
   * (old ones included) gets TabSeparated, which it parses into whatever types its table has.
   */
  #rowWriter(): EventRowWriter {
    const o = this.#options;
    if (o.url !== undefined) return new TsvEventWriter(INITIAL_BODY_BYTES);
    return new RowBinaryEventWriter(BODY_CHUNK_BYTES, new BodyFile(bodyPath(chdbInsertsDir(o.dataDir), 'bin')));
  }

  #seal(): void {
    if (this.#open === undefined) return;
    this.#sealed.push(this.#open);
    this.#open = undefined;
  }

  async flush(): Promise<void> {
    const seq = this.#queue.lastSeq;
    if (this.#queue.storedSeq >= seq) return;
    if (this.#abandoned) throw this.#gaveUpOn ?? new Error('clickhouse sink: rows left unstored after the sink gave up');
    this.#flushing++;
    try {
      const stored = new Promise<void>((resolve, reject) => this.#storedWaiters.push({ seq, resolve, reject }));
      this.#schedule();
      await stored;
    } finally {
      this.#flushing--;
    }
  }

  /** Stores one alert transition in the alerts table; retried like events, resolves once stored. */
  async writeAlert(transition: AlertTransition): Promise<void> {
    const o = this.#options;
    const body: InsertBody = { format: 'TabSeparated', bytes: encodeAlert(transition, o.host) };
    const source = transition.source === undefined ? '' : `:${transition.source}`;
    const token = `alert:${o.host}:${transition.alert}:${transition.at}:${transition.state}${source}`;
    const outcome = await this.#exclusive(() => this.#attempts.insert(o.alertsTable, ALERT_COLUMNS, body, 1, token));
    if (outcome.kind === 'refused') throw new InsertError(`${o.database}.${o.alertsTable}`, 1, { cause: outcome.error });
    if (outcome.kind !== 'stored') throw new Error(`clickhouse sink: alert ${transition.alert} ${transition.state} not stored before shutdown`);
  }

  /**
   * Stores the line counts of closed minutes in the ingest table, as alerts are stored. Each row's
   * key (host, source, minute, run) is its whole identity: a retry replaces, never adds.
   */
  async writeIngest(rows: readonly IngestRow[]): Promise<void> {
    if (rows.length === 0) return;
    const o = this.#options;
    const body: InsertBody = { format: 'TabSeparated', bytes: encodeIngest(rows, o.host, this.#run) };
    const first = rows[0]!;
    const token = `ingest:${o.host}:${this.#run}:${first.minuteMs}:${first.source}:${rows.length}`;
    const outcome = await this.#exclusive(() => this.#attempts.insert('ingest', INGEST_COLUMNS, body, rows.length, token, false));
    if (outcome.kind === 'refused') throw new InsertError(`${o.database}.ingest`, rows.length, { cause: outcome.error });
    if (outcome.kind !== 'stored') throw new Error('clickhouse sink: line counts not stored before shutdown');
  }

  shutdown(): Promise<void> {
    this.#shutdown ??= this.#close();
    return this.#shutdown;
  }

  async #close(): Promise<void> {
    this.#closing = true;
    const o = this.#options;
    if (this.#store !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      const timeUp = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), o.shutdownTimeoutMs);
      });
      // The rows written so far, and the alert transitions queued for insert (a batch import's
      // last alert often fires just before the end), get the shutdown timeout to be stored.
      const stored = Promise.all([this.flush(), this.#insertChain]);
      const outcome = await Promise.race([stored.then(() => 'flushed' as const, () => 'failed' as const), timeUp]);
      clearTimeout(timer);
      if (outcome !== 'flushed' && this.#queue.rows > 0) {
        o.logger.warn({ rows: this.#queue.rows, timeoutMs: o.shutdownTimeoutMs }, 'clickhouse sink: shut down with rows not stored; they are read again at the next start');
      }
    }
    this.#abandon();
    await this.#pumping;
    await this.#insertChain.catch(() => {});
    this.#seal();
    for (const batch of this.#sealed.splice(0)) await this.#dispose(batch);
    await this.#store?.close();
  }

  #abandon(reason?: Error): void {
    this.#abandoned = true;
    this.#gaveUpOn ??= reason;
    clearTimeout(this.#timer);
    this.#attempts.cancel();
    for (const resolve of this.#roomWaiters.splice(0)) resolve();
    const error = reason ?? new Error('clickhouse sink: shut down before these rows were stored');
    for (const waiter of this.#storedWaiters.splice(0)) waiter.reject(error);
    this.#queue.fail(error);
  }

  /** Starts sending if a batch is due, else arms the timer for the oldest waiting row. */
  #schedule(): void {
    if (this.#pumping !== undefined || this.#store === undefined || this.#abandoned) return;
    if (this.#batchDue()) {
      this.#pumping = this.#pump().finally(() => {
        this.#pumping = undefined;
        this.#schedule();
      });
      return;
    }
    const oldest = this.#open?.openedAt;
    if (oldest === undefined || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#schedule();
    }, Math.max(0, oldest + this.#options.flushIntervalMs - Date.now()));
    this.#timer.unref();
  }

  #batchDue(): boolean {
    return this.#sealed.length > 0 || this.#openBatchDue();
  }

  /** The open batch must go now: its oldest row waited long enough, or someone waits for it. */
  #openBatchDue(): boolean {
    const open = this.#open;
    if (open === undefined) return false;
    return this.#flushing > 0 || this.#closing || Date.now() - open.openedAt >= this.#options.flushIntervalMs;
  }

  async #pump(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (!this.#abandoned) {
      if (this.#sealed.length === 0 && this.#openBatchDue()) this.#seal();
      const batch = this.#sealed[0];
      if (batch === undefined) return;
      const stored = await this.#exclusive(() => this.#insertBatch(batch));
      if (!stored) return;
      this.#sealed.shift();
      this.#queue.acknowledge(batch.parts);
      this.#afterAcknowledge();
      await this.#dispose(batch);
    }
  }

  #afterAcknowledge(): void {
    this.#options.telemetry.sinkQueueRows(this.#queue.rows);
    if (!this.#full()) for (const resolve of this.#roomWaiters.splice(0)) resolve();
    const storedSeq = this.#queue.storedSeq;
    this.#storedWaiters = this.#storedWaiters.filter((waiter) => {
      if (waiter.seq > storedSeq) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Stores the batch, its refused rows as dead letters; false only when the sink gave up on it. */
  async #insertBatch(batch: EventBatch): Promise<boolean> {
    const o = this.#options;
    const token = `${o.database}.${o.table}:${batch.firstId}:${batch.lastId}:${batch.rows}`;
    const outcome = await this.#attempts.insert(o.table, EVENT_COLUMNS, batch.body(), batch.rows, token);
    if (outcome.kind !== 'refused') return outcome.kind === 'stored';
    const table = `${o.database}.${o.table}`;
    // A batch import stops on a table that refuses every row it is shown (a column of the wrong
    // type): run again once the table is fixed, rather than a dead-letter file holding the whole log.
    const noneStoredLimit = o.giveUpOnPermanentErrors ? UNSTORABLE_ROWS : Number.POSITIVE_INFINITY;
    const isolated = await isolateRefusedRows(batch, table, outcome.error, (body, from, to) =>
      this.#attempts.insert(o.table, EVENT_COLUMNS, body, to - from, `${token}:${from}-${to}`), noneStoredLimit);
    if (isolated.kind === 'unstorable') {
      const failure = new InsertError(table, batch.rows, { cause: isolated.error });
      this.#resolveFailure(failure);
      this.#abandon(failure);
      return false;
    }
    return isolated.kind === 'isolated' && this.#keepDeadLetters(isolated.letters);
  }

  /** Writes the dead letters (retried like an insert while the disk refuses), then counts and logs them. */
  async #keepDeadLetters(letters: readonly DeadLetter[]): Promise<boolean> {
    const o = this.#options;
    const file = this.#deadLetters;
    for (let attempt = 0; file !== undefined && !this.#abandoned; attempt++) {
      try {
        await file.write(letters);
        break;
      } catch (error) {
        if (!(await this.#attempts.waitAfterFailure(new DataDirError(`write dead letters to ${file.path}`, { cause: error }), attempt, 'disk'))) return false;
      }
    }
    if (this.#abandoned) return false;
    o.telemetry.sinkRows('failed', letters.length);
    const first = letters[0];
    o.logger.error(
      { rows: letters.length, table: first?.table, code: first?.code, err: first?.message, deadLetterFile: file?.path, ...(file === undefined ? { letters: letters.slice(0, 10) } : {}) },
      'clickhouse sink: rows refused for good by ClickHouse, not stored; kept in the dead-letter file',
    );
    return true;
  }

  /** Deletes a batch's body file; a failure only leaves a file the next start deletes. */
  async #dispose(batch: EventBatch): Promise<void> {
    try {
      await batch.dispose();
    } catch (error) {
      this.#options.logger.warn({ err: messageOf(error) }, 'clickhouse sink: could not delete an insert body');
    }
  }

  #exclusive<T>(run: () => Promise<T>): Promise<T> {
    const result = this.#insertChain.then(run, run);
    this.#insertChain = result.catch(() => {});
    return result;
  }
}
