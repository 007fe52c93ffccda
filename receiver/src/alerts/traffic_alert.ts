import type { Event } from '../model/event.js';
import type { EventConsumer } from '../pipeline/consumer.js';
import type { ReceiverTelemetry } from '../model/telemetry.js';
import type { AlertTransition } from './alert_transition.js';
import { HIGH_TRAFFIC_ALERT, highTrafficMessage, trafficRecoveredMessage } from './alert_messages.js';
import { SecondCounts } from './second_counts.js';
import { StreamWatermark } from './stream_watermark.js';
import { resolveTrafficAlertOptions, type TrafficAlertOptions } from './traffic_alert_options.js';

/** A sentinel that no line matches: the next line is shown to the watermark. */
const NOT_OBSERVED: Readonly<{ source: string; file: string; second: number }> = { source: '', file: '', second: Number.NEGATIVE_INFINITY };

export interface TrafficAlertStats {
  /** HTTP events counted into a second. */
  countedEvents: number;
  /** HTTP events ignored because their second was already evaluated (or their time was not a number). */
  lateEvents: number;
  /** HTTP events ignored because they were stamped beyond the wall clock plus the tolerance. */
  futureEvents: number;
  /** Start of the last evaluated second, epoch ms; undefined before the first evaluation. */
  evaluatedThroughMs: number | undefined;
  /** Window average at the last evaluated second, requests per second. */
  valueRps: number;
  firing: boolean;
}

/**
 * The high-traffic alert, evaluated on the events' own time so that replaying an old file gives
 * exactly the alerts it gave live.
 *
 * Live, a second is evaluated once every file still delivering lines has moved `allowedLateness`
 * seconds past it (see StreamWatermark): files followed at once give the alerts of their lines
 * merged in time order. Events are taken one at a time even inside a batch, so a batch gives the
 * same transitions as the same events trickling in one by one. While the logs are quiet, `tick()`
 * moves event time on by the wall time elapsed since the last HTTP event arrived, so a live alert
 * recovers without new lines.
 *
 * A batch import holds every second open until `finish()` (or until it is `holdSeconds` behind the
 * newest line), so rotation sets read one after another still give the alerts of one time-ordered
 * file. `finish()` evaluates through the newest second seen and no further: the file's end is not
 * evidence that traffic stopped, so an alert still firing at the end of the file stays firing.
 *
 * A line stamped beyond the wall clock plus `futureToleranceMs` is left out and counted: one line
 * from the future would otherwise move event time hours ahead and make every real line late.
 */
export class TrafficAlert implements EventConsumer {
  private readonly thresholdRps: number;
  private readonly windowSeconds: number;
  private readonly latenessSeconds: number;
  private readonly batch: boolean;
  private readonly holdSeconds: number;
  private readonly futureToleranceMs: number;
  private readonly startupGraceMs: number;
  private readonly telemetry: Pick<ReceiverTelemetry, 'futureEvents'> | undefined;
  private readonly onTransition: (transition: AlertTransition) => void;
  private readonly now: () => number;
  private readonly tickIntervalMs: number;
  private readonly counts = new SecondCounts();
  private readonly streams: StreamWatermark;

  /** Newest event time (ms), moved on by wall time while quiet; never goes back. */
  private clockMs = Number.NEGATIVE_INFINITY;
  private newestSecond = Number.NEGATIVE_INFINITY;
  private oldestCountedSecond = Number.POSITIVE_INFINITY;
  /** Last evaluated second; undefined until the first evaluation. */
  private evaluated: number | undefined;
  /** Sum of the counts of the seconds (evaluated - window, evaluated]. */
  private windowSum = 0;
  private firing = false;
  private countedEvents = 0;
  private lateEvents = 0;
  private futureEvents = 0;
  /** Wall time and event clock when the last HTTP event arrived. */
  private arrivalWallMs = 0;
  private arrivalClockMs = 0;
  /** The line last shown to the watermark. */
  private observed = NOT_OBSERVED;
  /** Wall time of the first batch: live evaluation starts `startupGraceMs` later. */
  private firstArrivalWallMs: number | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: TrafficAlertOptions = {}) {
    const o = resolveTrafficAlertOptions(options);
    this.thresholdRps = o.thresholdRps;
    this.windowSeconds = o.windowSeconds;
    this.latenessSeconds = o.allowedLatenessSeconds;
    this.tickIntervalMs = o.tickIntervalMs;
    this.batch = o.batch;
    this.holdSeconds = o.holdSeconds;
    this.futureToleranceMs = o.futureToleranceMs;
    this.startupGraceMs = o.startupGraceMs;
    this.streams = new StreamWatermark(o.idleStreamMs);
    this.telemetry = options.telemetry;
    this.onTransition = options.onTransition ?? (() => {});
    this.now = options.now ?? Date.now;
  }

  consume(events: readonly Event[]): void {
    let arrived = false;
    const wallMs = this.now();
    const latestMs = wallMs + this.futureToleranceMs;
    this.firstArrivalWallMs ??= wallMs;
    // The first line of each batch is shown to the watermark, which so learns its file is delivering.
    this.observed = NOT_OBSERVED;
    let future: Map<string, number> | undefined;
    for (const event of events) {
      if (event.kind !== 'http') continue;
      if (event.ts > latestMs) {
        future ??= new Map();
        future.set(event.source, (future.get(event.source) ?? 0) + 1);
        continue;
      }
      this.countAt(event, wallMs);
      arrived = true;
    }
    if (arrived) {
      this.arrivalWallMs = wallMs;
      this.arrivalClockMs = this.clockMs;
    }
    if (future) {
      for (const [source, count] of future) {
        this.futureEvents += count;
        this.telemetry?.futureEvents(source, count);
      }
    }
  }

  /** Moves event time on by the wall time since the last HTTP event arrived, and evaluates. */
  tick(): void {
    if (this.batch || this.newestSecond === Number.NEGATIVE_INFINITY) return;
    const wallMs = this.now();
    const quietClockMs = this.arrivalClockMs + (wallMs - this.arrivalWallMs);
    if (quietClockMs > this.clockMs) this.clockMs = quietClockMs;
    this.evaluateThrough(this.liveTarget(wallMs, this.secondOf(this.clockMs)));
  }

  /** End of a finished import: evaluates through the newest second seen, without waiting for late lines. */
  finish(): void {
    if (this.newestSecond === Number.NEGATIVE_INFINITY) return;
    this.evaluateThrough(Math.max(this.newestSecond, this.secondOf(this.clockMs)));
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
      futureEvents: this.futureEvents,
      evaluatedThroughMs: this.evaluated === undefined ? undefined : this.evaluated * 1000,
      valueRps: this.windowSum / this.windowSeconds,
      firing: this.firing,
    };
  }

  private countAt(event: Event, wallMs: number): void {
    const ts = event.ts;
    if (!Number.isFinite(ts)) {
      this.lateEvents += 1;
      return;
    }
    const second = this.secondOf(ts);
    if (this.evaluated !== undefined && second <= this.evaluated) {
      this.lateEvents += 1;
      return;
    }
    this.counts.add(second, 1);
    this.countedEvents += 1;
    if (second < this.oldestCountedSecond) this.oldestCountedSecond = second;
    if (ts > this.clockMs) this.clockMs = ts;
    let moved = false;
    if (second > this.newestSecond) {
      this.newestSecond = second;
      moved = true;
    }
    if (this.batch) {
      if (moved) this.evaluateThrough(this.newestSecond - this.holdSeconds);
      return;
    }
    // Lines of one file come in runs: the watermark needs a look only when its file or second changes.
    if (second <= this.observed.second && event.file === this.observed.file && event.source === this.observed.source && !moved) return;
    this.observed = { source: event.source, file: event.file, second };
    if (this.streams.observe(event.source, event.file, second, wallMs) || moved) this.evaluateThrough(this.liveTarget(wallMs, second));
  }

  /**
   * The last second that may be evaluated live: `allowedLateness` behind the oldest of the files
   * delivering (`quietSecond` when none is), and never more than `holdSeconds` behind the newest
   * line; nothing during the start-up grace.
   */
  private liveTarget(wallMs: number, quietSecond: number): number {
    const held = this.newestSecond - this.holdSeconds;
    if (this.firstArrivalWallMs === undefined || wallMs - this.firstArrivalWallMs < this.startupGraceMs) return held;
    return Math.max((this.streams.current(wallMs) ?? quietSecond) - this.latenessSeconds - 1, held);
  }

  private evaluateThrough(target: number): void {
    if (this.evaluated === undefined) {
      if (this.oldestCountedSecond === Number.POSITIVE_INFINITY) return;
      // Nothing before the oldest line is known: evaluation starts just before it (or at the
      // target, so that a line within the lateness of the first one still counts).
      this.evaluated = Math.min(target, this.oldestCountedSecond - 1);
    }
    while (this.evaluated < target) {
      if (this.windowSum === 0 && !this.firing) {
        // Empty window: every second up to the next counted one averages 0 and changes nothing,
        // so a long gap (or a replay across days) costs no loop.
        const next = this.counts.firstAfter(this.evaluated);
        if (next === undefined || next > target) {
          this.evaluated = target;
          return;
        }
        this.evaluated = Math.max(this.evaluated, next - 1);
      }
      const second: number = this.evaluated + 1;
      this.windowSum += this.counts.get(second) - this.counts.take(second - this.windowSeconds);
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
