import type { Event } from '../pipeline/event.js';
import type { EventConsumer } from '../pipeline/consumer.js';
import type { AlertTransition } from './alert_transition.js';
import { HIGH_TRAFFIC_ALERT, highTrafficMessage, trafficRecoveredMessage } from './alert_messages.js';
import { AlertConfigError } from './errors.js';
import { PerSecondRing } from './per_second_ring.js';

export interface TrafficAlertOptions {
  /** The alert fires when the window's average is strictly above this many requests per second. @default 10 */
  thresholdRps?: number;
  /** Length of the averaging window: second t averages the seconds (t - windowSeconds, t]. @default 120 */
  windowSeconds?: number;
  /**
   * How far behind the newest event a line may be and still count: second t is evaluated once the
   * event clock has moved past t + allowedLatenessSeconds. @default 2
   */
  allowedLatenessSeconds?: number;
  /** Called for each firing or recovery, in event-time order. @default nothing */
  onTransition?: (transition: AlertTransition) => void;
  /** The wall clock, epoch milliseconds; only used to move event time on while the log is quiet. @default Date.now */
  now?: () => number;
  /** How often `start()` calls `tick()`. @default 1000 */
  tickIntervalMs?: number;
}

export interface TrafficAlertStats {
  /** HTTP events counted into a second. */
  countedEvents: number;
  /** HTTP events ignored because their second was already evaluated (or their time was not a number). */
  lateEvents: number;
  /** Start of the last evaluated second, epoch ms; undefined before the first event. */
  evaluatedThroughMs: number | undefined;
  /** Window average at the last evaluated second, requests per second. */
  valueRps: number;
  firing: boolean;
}

/**
 * The high-traffic alert, evaluated on the events' own time so that replaying an old file gives
 * exactly the alerts it gave live.
 *
 * The event clock is the newest event time seen; seconds up to (clock second - lateness - 1) are
 * evaluated one by one, in order, as the clock moves. Events are taken one at a time even inside a
 * batch, so a batch gives the same transitions as the same events trickling in one by one. While
 * the log is quiet, `tick()` moves the event clock on by the wall time elapsed since the last HTTP
 * event arrived, so a live alert recovers without new lines.
 *
 * `finish()` (end of a `--once` import) evaluates through the newest second seen and no further:
 * the file's end is not evidence that traffic stopped, so no quiet time is invented after it, and
 * an alert still firing at the end of the file stays firing.
 */
export class TrafficAlert implements EventConsumer {
  private readonly thresholdRps: number;
  private readonly windowSeconds: number;
  private readonly latenessSeconds: number;
  private readonly onTransition: (transition: AlertTransition) => void;
  private readonly now: () => number;
  private readonly tickIntervalMs: number;
  private readonly ring: PerSecondRing;

  /** Newest event time (ms), moved on by wall time while quiet; never goes back. */
  private clockMs = Number.NEGATIVE_INFINITY;
  /** Last evaluated second; undefined until the first HTTP event. */
  private evaluated: number | undefined;
  /** Sum of the counts of the seconds (evaluated - window, evaluated]. */
  private windowSum = 0;
  private newestCountedSecond = Number.NEGATIVE_INFINITY;
  private firing = false;
  private countedEvents = 0;
  private lateEvents = 0;
  /** Wall time and event clock when the last HTTP event arrived. */
  private arrivalWallMs = 0;
  private arrivalClockMs = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: TrafficAlertOptions = {}) {
    this.thresholdRps = options.thresholdRps ?? 10;
    this.windowSeconds = options.windowSeconds ?? 120;
    this.latenessSeconds = options.allowedLatenessSeconds ?? 2;
    this.tickIntervalMs = options.tickIntervalMs ?? 1000;
    if (!(Number.isFinite(this.thresholdRps) && this.thresholdRps > 0)) {
      throw new AlertConfigError('thresholdRps', 'a positive number of requests per second', options.thresholdRps);
    }
    if (!(Number.isInteger(this.windowSeconds) && this.windowSeconds > 0)) {
      throw new AlertConfigError('windowSeconds', 'a positive whole number of seconds', options.windowSeconds);
    }
    if (!(Number.isInteger(this.latenessSeconds) && this.latenessSeconds >= 0)) {
      throw new AlertConfigError('allowedLatenessSeconds', 'a whole number of seconds, 0 or more', options.allowedLatenessSeconds);
    }
    if (!(Number.isFinite(this.tickIntervalMs) && this.tickIntervalMs > 0)) {
      throw new AlertConfigError('tickIntervalMs', 'a positive number of milliseconds', options.tickIntervalMs);
    }
    this.onTransition = options.onTransition ?? (() => {});
    this.now = options.now ?? Date.now;
    // The window, the seconds still open for late lines, and one spare slot so that freeing the
    // second leaving the window never clears a second still open.
    this.ring = new PerSecondRing(this.windowSeconds + this.latenessSeconds + 2);
  }

  consume(events: readonly Event[]): void {
    let arrived = false;
    for (const event of events) {
      if (event.kind !== 'http') continue;
      this.countAt(event.ts);
      arrived = true;
    }
    if (arrived) {
      this.arrivalWallMs = this.now();
      this.arrivalClockMs = this.clockMs;
    }
  }

  /** Moves event time on by the wall time since the last HTTP event arrived, and evaluates. */
  tick(): void {
    if (this.evaluated === undefined) return;
    const quietClockMs = this.arrivalClockMs + (this.now() - this.arrivalWallMs);
    if (quietClockMs > this.clockMs) this.clockMs = quietClockMs;
    this.evaluateThrough(this.secondOf(this.clockMs) - this.latenessSeconds - 1);
  }

  /** End of a finished import: evaluates through the newest second seen, without waiting for late lines. */
  finish(): void {
    if (this.evaluated === undefined) return;
    this.evaluateThrough(this.secondOf(this.clockMs));
  }

  /** Calls `tick()` every `tickIntervalMs` from an unref'ed timer. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.tick(), this.tickIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer. Idempotent; does not evaluate the seconds still open (see `finish()`). */
  shutdown(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  get stats(): TrafficAlertStats {
    return {
      countedEvents: this.countedEvents,
      lateEvents: this.lateEvents,
      evaluatedThroughMs: this.evaluated === undefined ? undefined : this.evaluated * 1000,
      valueRps: this.windowSum / this.windowSeconds,
      firing: this.firing,
    };
  }

  private countAt(ts: number): void {
    if (!Number.isFinite(ts)) {
      this.lateEvents += 1;
      return;
    }
    const second = this.secondOf(ts);
    if (this.evaluated === undefined) {
      // Nothing before the first event is known: it opens with its own lateness allowance.
      this.evaluated = second - this.latenessSeconds - 1;
      this.clockMs = ts;
    }
    if (second <= this.evaluated) {
      this.lateEvents += 1;
      return;
    }
    if (ts > this.clockMs) {
      this.clockMs = ts;
      this.evaluateThrough(second - this.latenessSeconds - 1);
    }
    this.ring.add(second, 1);
    this.countedEvents += 1;
    if (second > this.newestCountedSecond) this.newestCountedSecond = second;
  }

  private evaluateThrough(target: number): void {
    if (this.evaluated === undefined) return;
    while (this.evaluated < target) {
      if (this.windowSum === 0 && !this.firing && this.evaluated >= this.newestCountedSecond) {
        // Empty window and nothing counted ahead: every second up to the target averages 0 and
        // changes nothing, so a long gap (or a replay across days) costs no loop.
        this.evaluated = target;
        return;
      }
      const second: number = this.evaluated + 1;
      this.windowSum += this.ring.get(second) - this.ring.take(second - this.windowSeconds);
      this.evaluated = second;
      this.judge(second);
    }
  }

  private judge(second: number): void {
    const valueRps = this.windowSum / this.windowSeconds;
    if (!this.firing && valueRps > this.thresholdRps) {
      this.firing = true;
      this.emit('firing', valueRps, second * 1000);
    } else if (this.firing && valueRps < this.thresholdRps) {
      this.firing = false;
      this.emit('resolved', valueRps, second * 1000);
    }
  }

  private emit(state: AlertTransition['state'], value: number, at: number): void {
    this.onTransition({
      alert: HIGH_TRAFFIC_ALERT,
      state,
      value,
      at,
      thresholdRps: this.thresholdRps,
      windowSeconds: this.windowSeconds,
      message: state === 'firing' ? highTrafficMessage(value, at) : trafficRecoveredMessage(value, at),
    });
  }

  private secondOf(ms: number): number {
    return Math.floor(ms / 1000);
  }
}
