import { DataDirError, InsertError } from '../clickhouse/errors.js';
import type { FileInsertBody as InsertBody } from '../clickhouse/chdb_file_insert.js';
import { insertErrorKind } from '../clickhouse/permanent_errors.js';
import type { InsertOutcome } from './refused_rows.js';
import { backoffDelayMs, CancellableSleep, FailureLog } from './retry_policy.js';
import type { ResolvedSinkOptions } from './sink_options.js';
import type { Store } from '../clickhouse/store.js';

/** What the sink tells its inserts: whether it still runs, and how to give up. */
export interface InsertAttemptsOwner {
  /** True once the sink gave up (shutdown, or a batch import that cannot go on). */
  stopped(): boolean;
  /** Gives up every unstored row with `reason` (only with `giveUpOnPermanentErrors`). */
  giveUp(reason: Error): void;
}

/**
 * Runs the sink's inserts, one attempt after another: outages and a full disk are waited out
 * with backoff and logged as warnings with the attempt count, at a bounded rate; rows ClickHouse
 * refuses for good are handed back to the caller. Each insert carries the sink's settings and,
 * where the engine knows it, its deduplication token.
 */
export class InsertAttempts {
  readonly #failures: FailureLog;
  readonly #sleep = new CancellableSleep();
  #store: Store | undefined;
  #dedupTokens = false;
  /**
   * Settings of every insert. optimize_on_insert=0: a ReplacingMergeTree otherwise folds each
   * block's duplicate keys while inserting it, which measured nearly half the embedded engine's
   * insert time (1M access-log rows: 5.0 s with, 2.7 s without) for nothing here, as the rows of
   * one batch never share an event id and FINAL or a merge folds copies across batches anyway.
   */
  #insertSettings: Record<string, string> = {};
  #inflight: AbortController | undefined;
  #lastInsertFailed = false;
  /** When the data disk began refusing (full, read-only); undefined while it takes bytes. */
  #diskFailingSince: number | undefined;

  constructor(private readonly options: ResolvedSinkOptions, private readonly owner: InsertAttemptsOwner) {
    this.#failures = new FailureLog(options.logger, options.failureLogIntervalMs);
  }

  /** Learns what the store supports; inserts go to it from now on. */
  async use(store: Store): Promise<void> {
    this.#dedupTokens = await store.hasSetting('insert_deduplication_token');
    // Servers before 20.x (Debian's 18.16) neither know the setting nor fold on insert.
    if (await store.hasSetting('optimize_on_insert')) this.#insertSettings = { optimize_on_insert: '0' };
    this.#store = store;
  }

  /** The latest attempt failed (what `/readyz` reports as not storing). */
  get failing(): boolean {
    return this.#lastInsertFailed;
  }

  /** Ends the wait between attempts and the insert in flight: the sink gives up. */
  cancel(): void {
    this.#sleep.cancel();
    this.#inflight?.abort();
  }

  /**
   * Inserts until acknowledged, waiting out outages and a full disk; stops with `refused` when
   * ClickHouse refuses these rows for good, `abandoned` when shutdown (or a batch import that
   * cannot go on) gave up on them. `counted`: whether the rows count in `logpulse_sink_rows_total`
   * (the ingest table's line counts do not: they are not rows of the log).
   */
  async insert(table: string, columns: readonly string[], body: InsertBody, rows: number, token: string, counted = true): Promise<InsertOutcome> {
    const o = this.options;
    const store = this.#store;
    if (store === undefined) return { kind: 'abandoned' };
    const qualified = `${o.database}.${table}`;
    const settings: Record<string, string> = this.#dedupTokens ? { ...this.#insertSettings, insert_deduplication_token: token } : this.#insertSettings;
    for (let attempt = 0; !this.owner.stopped(); attempt++) {
      if (attempt > 0 && counted) o.telemetry.sinkRows('retried', rows);
      const controller = new AbortController();
      this.#inflight = controller;
      try {
        if (body.format === 'RowBinary') {
          await store.insertRowBinary(qualified, columns, body.layout, 'file' in body ? body.file : body.bytes, settings, controller.signal);
        } else {
          await store.insertTsv(qualified, columns, body.bytes, settings, controller.signal);
        }
        if (counted) o.telemetry.sinkRows('written', rows);
        this.#lastInsertFailed = false;
        this.#diskFailingSince = undefined;
        this.#failures.succeeded('clickhouse insert recovered', { target: store.target, attempts: attempt + 1 });
        return { kind: 'stored' };
      } catch (error) {
        if (this.owner.stopped()) break;
        const kind = insertErrorKind(error);
        if (kind === 'rows') return { kind: 'refused', error };
        this.#lastInsertFailed = true;
        const failure = kind === 'disk' ? new DataDirError(`stage ${rows} rows for ${qualified}`, { cause: error }) : new InsertError(qualified, rows, { cause: error });
        if (!(await this.waitAfterFailure(failure, attempt, kind))) break;
      } finally {
        this.#inflight = undefined;
      }
    }
    return { kind: 'abandoned' };
  }

  /**
   * After a failed attempt: logs it (a warning with the attempt count, at a bounded rate) and waits
   * the backoff. A batch import gives up at once on a store that refuses every insert, and on a
   * disk that refused for `giveUpAfterMs`: false then, and `failure` resolves with the reason.
   */
  async waitAfterFailure(failure: Error, attempt: number, kind: 'store' | 'disk' | 'transient'): Promise<boolean> {
    const o = this.options;
    if (kind === 'disk') this.#diskFailingSince ??= Date.now();
    const diskGaveOut = kind === 'disk' && Date.now() - (this.#diskFailingSince ?? Date.now()) >= o.giveUpAfterMs;
    if (o.giveUpOnPermanentErrors && (kind === 'store' || diskGaveOut)) {
      this.owner.giveUp(failure);
      return false;
    }
    const delayMs = backoffDelayMs(attempt, o.retryInitialMs, o.retryMaxMs);
    this.#failures.failed('clickhouse insert failed, retrying', { err: failure.message, target: this.#store?.target, attempt: attempt + 1, retryInMs: delayMs });
    await this.#sleep.sleep(delayMs);
    return !this.owner.stopped();
  }
}
