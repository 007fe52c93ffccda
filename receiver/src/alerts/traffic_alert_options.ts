import type { ReceiverTelemetry } from '../model/telemetry.js';
import type { AlertTransition } from './alert_transition.js';
import { AlertConfigError } from './errors.js';

/** How far ahead of the wall clock a line's time may be and still count (clocks drift, zones get misconfigured). */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** Event time a batch import holds open before evaluating it anyway: 31 days. */
export const HOLD_SECONDS = 31 * 86_400;

export interface TrafficAlertOptions {
  /** The alert fires when the window's average is strictly above this many requests per second. @default 10 */
  thresholdRps?: number;
  /** Length of the averaging window: second t averages the seconds (t - windowSeconds, t]. @default 120 */
  windowSeconds?: number;
  /**
   * How far behind the newest line of its own file a line may be and still count: second t is
   * evaluated once every file delivering has moved past t + allowedLatenessSeconds. @default 2
   */
  allowedLatenessSeconds?: number;
  /**
   * A batch import (`run --once`): seconds are evaluated only at `finish()`, or once they are
   * `holdSeconds` behind the newest line, so the order the files are read in does not change the
   * alerts. @default false
   */
  batch?: boolean;
  /** Most event time held open for lines still to come: older seconds are evaluated anyway. @default 2678400 (31 days) */
  holdSeconds?: number;
  /** A file that delivered nothing for this long (wall time) no longer holds evaluation back. @default 5000 */
  idleStreamMs?: number;
  /**
   * Live, nothing is evaluated for this long after the first line: files found at start-up each get
   * their first turn of reading before the first of them decides what is late. @default 0
   */
  startupGraceMs?: number;
  /** Lines stamped later than the wall clock plus this are counted as from the future and left out. @default 300000 (5 minutes) */
  futureToleranceMs?: number;
  /** Where lines from the future are counted (`logpulse_events_future_total`). @default nothing */
  telemetry?: Pick<ReceiverTelemetry, 'futureEvents'>;
  /** Called for each firing or recovery, in event-time order. @default nothing */
  onTransition?: (transition: AlertTransition) => void;
  /** The wall clock, epoch milliseconds: bounds event time, and moves it on while the log is quiet. @default Date.now */
  now?: () => number;
  /** How often `start()` calls `tick()`. @default 1000 */
  tickIntervalMs?: number;
}

type Resolved = Required<Omit<TrafficAlertOptions, 'telemetry' | 'onTransition' | 'now'>>;

/** The options with their defaults, checked: a value out of range fails with its key and what was expected. */
export function resolveTrafficAlertOptions(options: TrafficAlertOptions): Resolved {
  const o: Resolved = {
    thresholdRps: options.thresholdRps ?? 10,
    windowSeconds: options.windowSeconds ?? 120,
    allowedLatenessSeconds: options.allowedLatenessSeconds ?? 2,
    batch: options.batch ?? false,
    holdSeconds: options.holdSeconds ?? HOLD_SECONDS,
    idleStreamMs: options.idleStreamMs ?? 5000,
    startupGraceMs: options.startupGraceMs ?? 0,
    futureToleranceMs: options.futureToleranceMs ?? FUTURE_TOLERANCE_MS,
    tickIntervalMs: options.tickIntervalMs ?? 1000,
  };
  if (!(Number.isFinite(o.thresholdRps) && o.thresholdRps > 0)) {
    throw new AlertConfigError('thresholdRps', 'a positive number of requests per second', options.thresholdRps);
  }
  if (!(Number.isInteger(o.windowSeconds) && o.windowSeconds > 0)) {
    throw new AlertConfigError('windowSeconds', 'a positive whole number of seconds', options.windowSeconds);
  }
  if (!(Number.isInteger(o.allowedLatenessSeconds) && o.allowedLatenessSeconds >= 0)) {
    throw new AlertConfigError('allowedLatenessSeconds', 'a whole number of seconds, 0 or more', options.allowedLatenessSeconds);
  }
  if (!(Number.isInteger(o.holdSeconds) && o.holdSeconds > o.allowedLatenessSeconds)) {
    throw new AlertConfigError('holdSeconds', 'a whole number of seconds above allowedLatenessSeconds', options.holdSeconds);
  }
  for (const key of ['tickIntervalMs', 'idleStreamMs', 'futureToleranceMs'] as const) {
    if (!(Number.isFinite(o[key]) && o[key] > 0)) throw new AlertConfigError(key, 'a positive number of milliseconds', options[key]);
  }
  if (!(Number.isFinite(o.startupGraceMs) && o.startupGraceMs >= 0)) {
    throw new AlertConfigError('startupGraceMs', 'a number of milliseconds, 0 or more', options.startupGraceMs);
  }
  return o;
}
