/** How the sink waits between attempts and how often it says so in the log. */

/** The logger the sink writes to; a pino logger fits. */
export interface SinkLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/**
 * Exponential backoff with full jitter: a random delay between 0 and
 * min(maxMs, initialMs * 2^attempt), so many receivers recovering together do not retry in step.
 */
export function backoffDelayMs(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/**
 * Logs failed attempts at most once per `intervalMs`, with the number of attempts left unlogged
 * since the last line, so a long outage writes a bounded number of lines.
 */
export class FailureLog {
  #lastLoggedAt = Number.NEGATIVE_INFINITY;
  #unlogged = 0;
  #failing = false;

  constructor(
    private readonly logger: SinkLogger,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  failed(message: string, fields: Record<string, unknown>): void {
    this.#failing = true;
    const t = this.now();
    if (t - this.#lastLoggedAt < this.intervalMs) {
      this.#unlogged++;
      return;
    }
    this.#lastLoggedAt = t;
    this.logger.warn({ ...fields, failedAttemptsNotLogged: this.#unlogged }, message);
    this.#unlogged = 0;
  }

  succeeded(message: string, fields: Record<string, unknown>): void {
    if (!this.#failing) return;
    this.#failing = false;
    this.#unlogged = 0;
    this.#lastLoggedAt = Number.NEGATIVE_INFINITY;
    this.logger.info(fields, message);
  }
}

/** A sleep that `cancel()` ends early (shutdown must not wait out a 30 s backoff). */
export class CancellableSleep {
  #wake: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(resolve, ms);
      this.#timer.unref();
    });
  }

  cancel(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#wake?.();
    this.#wake = undefined;
  }
}
