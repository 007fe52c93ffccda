/**
 * When the file source looks at its files again. While nothing changes, the wait doubles from
 * `minMs` up to `maxMs`, so idle files cost next to nothing; any activity brings it back to
 * `minMs`. A change event (chokidar's, where the filesystem gives them) ends a long wait early,
 * but never sooner than `minMs` after it began: a busy log does not turn into a busy loop.
 */
export class PollTimer {
  private idleRounds = 0;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private resolveSleep: (() => void) | undefined;

  constructor(
    private readonly minMs: number,
    private maxMs: number,
  ) {}

  /** Lets idle waits grow longer (every path is watched for change events). */
  setMaxMs(maxMs: number): void {
    this.maxMs = Math.max(this.minMs, maxMs);
  }

  /** The wait the next `sleep()` takes without an argument. */
  get currentMs(): number {
    return Math.min(this.maxMs, this.minMs * 2 ** Math.min(this.idleRounds, 20));
  }

  /** Something was read or changed (true) or not (false) in the last round. */
  activity(changed: boolean): void {
    this.idleRounds = changed ? 0 : this.idleRounds + 1;
  }

  /** Waits `ms` (default: the current backoff), or until nudged or woken. */
  sleep(ms?: number): Promise<void> {
    const wait = Math.max(0, Math.min(ms ?? this.currentMs, this.currentMs));
    return new Promise((resolve) => {
      this.startedAt = Date.now();
      this.resolveSleep = resolve;
      this.arm(wait);
    });
  }

  /** A change was seen: ends the current wait once `minMs` of it passed. */
  nudge(): void {
    this.idleRounds = 0;
    if (!this.resolveSleep) return;
    this.arm(Math.max(0, this.startedAt + this.minMs - Date.now()));
  }

  /** Ends the current wait now (shutdown). */
  wakeNow(): void {
    this.arm(0);
  }

  private arm(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const resolve = this.resolveSleep;
      this.resolveSleep = undefined;
      resolve?.();
    }, ms);
    this.timer.unref();
  }
}
