import { mkdir, open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { AlertTransition } from './alert_transition.js';
import { AlertHistoryError } from './errors.js';
import { lineToTransition, readLastLines, transitionToLine } from './history_file.js';

export type TransitionListener = (transition: AlertTransition) => void;

export interface AlertHistoryOptions {
  /** Folder of `alerts.jsonl`; created when missing. */
  dataDir: string;
  /** Transitions loaded at start and kept in memory for the terminal view. @default 50 */
  keepLast?: number;
  /**
   * Told when appending to the file or a listener fails; the transition is still kept in memory
   * and passed to the other listeners. @default process.emitWarning
   */
  onError?: (error: AlertHistoryError) => void;
}

/**
 * The alert history: every transition appended as one JSON line to `<dataDir>/alerts.jsonl`
 * (append mode, so a crash loses at most the line being written, never the file), the last ones
 * kept in memory, and every transition passed on to subscribers (terminal view, ClickHouse sink).
 */
export class AlertHistory {
  /** Path of the history file. */
  readonly path: string;
  private readonly keepLast: number;
  private readonly onError: (error: AlertHistoryError) => void;
  private readonly listeners = new Set<TransitionListener>();
  private readonly kept: AlertTransition[] = [];
  private handle: FileHandle | undefined;
  /** Appends run one after the other, in the order of `record` calls. */
  private writes: Promise<void> = Promise.resolve();
  private skippedLines = 0;
  private failedWrites = 0;
  private closed = false;

  constructor(options: AlertHistoryOptions) {
    this.path = join(options.dataDir, 'alerts.jsonl');
    this.keepLast = options.keepLast ?? 50;
    if (!(Number.isInteger(this.keepLast) && this.keepLast >= 0)) {
      throw new AlertHistoryError(`keepLast: expected a whole number of transitions, 0 or more, got ${String(options.keepLast)}`);
    }
    this.onError = options.onError ?? ((error) => process.emitWarning(error));
  }

  /** Creates the folder, loads the last `keepLast` transitions and opens the file for appending. */
  async start(): Promise<void> {
    if (this.handle !== undefined) return;
    const dir = join(this.path, '..');
    try {
      await mkdir(dir, { recursive: true });
      this.handle = await open(this.path, 'a+');
    } catch (cause) {
      throw new AlertHistoryError(`open ${this.path}`, { cause });
    }
    let tail;
    try {
      tail = await readLastLines(this.handle, this.keepLast);
    } catch (cause) {
      throw new AlertHistoryError(`read ${this.path}`, { cause });
    }
    const loaded: AlertTransition[] = [];
    for (const line of tail.lines) {
      const transition = lineToTransition(line);
      if (transition === undefined) this.skippedLines += 1;
      else loaded.push(transition);
    }
    this.kept.unshift(...loaded);
    this.trim();
    // A crash mid-write leaves a partial last line: end it so the next append starts a line.
    if (!tail.endsWithNewline) this.append('\n');
  }

  /** Keeps, appends and passes on one transition; use it as the evaluator's `onTransition`. */
  readonly record = (transition: AlertTransition): void => {
    this.kept.push(transition);
    this.trim();
    this.append(transitionToLine(transition));
    for (const listener of this.listeners) {
      try {
        listener(transition);
      } catch (cause) {
        this.onError(new AlertHistoryError('a transition listener failed', { cause }));
      }
    }
  };

  /** Calls `listener` for every transition recorded from now on; returns the unsubscribe. */
  subscribe(listener: TransitionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The last `keepLast` transitions, oldest first (loaded ones, then the ones recorded since). */
  recent(): readonly AlertTransition[] {
    return this.kept.slice();
  }

  get stats(): { skippedLines: number; failedWrites: number } {
    return { skippedLines: this.skippedLines, failedWrites: this.failedWrites };
  }

  /** Resolves once every transition recorded so far is written (or its failure reported). */
  async flush(): Promise<void> {
    await this.writes;
  }

  /** Writes what is pending and closes the file. Idempotent. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    const handle = this.handle;
    this.handle = undefined;
    if (handle === undefined) return;
    try {
      await handle.close();
    } catch (cause) {
      this.onError(new AlertHistoryError(`close ${this.path}`, { cause }));
    }
  }

  private append(text: string): void {
    this.writes = this.writes.then(async () => {
      const handle = this.handle;
      try {
        if (handle === undefined) throw new Error(this.closed ? 'history is shut down' : 'history is not started');
        // One write per line in append mode: lines never interleave and land at the file's end.
        await handle.write(text);
      } catch (cause) {
        this.failedWrites += 1;
        this.onError(new AlertHistoryError(`append to ${this.path}`, { cause }));
      }
    });
  }

  private trim(): void {
    if (this.kept.length > this.keepLast) this.kept.splice(0, this.kept.length - this.keepLast);
  }
}
