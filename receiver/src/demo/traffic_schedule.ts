/**
 * How many lines the demo writes in each second: a base rate, and bursts that push the two-minute
 * average over the alert threshold and then let it fall back.
 *
 * Second `s` is the interval [s, s+1) seconds after the demo started. Timeline with the defaults:
 *
 *   seconds   0..39    base, 4 lines/s          (40 s lead, so the view shows calm traffic first)
 *   seconds  40..109   burst, 25 lines/s        (70 s)
 *   seconds 110..259   base, 4 lines/s          (150 s quiet)
 *   seconds 260..329   burst again, and so on every 220 s
 *
 * With the default alert (threshold 10 req/s, window 120 s; the average at second s is the lines
 * of seconds s-119..s divided by 120, seconds before the start counting as none):
 *   - fires at second 81: 40 s x 4 + 42 s x 25 = 160 + 1050 = 1210 lines, 10.08/s > 10
 *     (second 80: 160 + 1025 = 1185, 9.875/s);
 *   - peaks at 16.25/s from second 159 (70 s x 25 + 50 s x 4 = 1950 lines);
 *   - recovers at second 195: the window 76..195 holds 34 burst seconds and 86 base seconds,
 *     850 + 344 = 1194 lines, 9.95/s < 10 (second 194: 875 + 340 = 1215, 10.125/s);
 * so the whole cycle, firing then recovering, is seen 196 s after starting, well within five
 * minutes, and the next burst (second 260) starts 65 s after the recovery.
 * An evaluator that averages over the time elapsed before the window is full fires earlier
 * (second 56) and recovers at the same second.
 */

export interface TrafficSchedule {
  /** Lines per second outside bursts. @default 4 */
  baseRate: number;
  /** Lines per second during a burst. @default 25 */
  burstRate: number;
  /** Length of each burst, whole seconds; 0 for no bursts. @default 70 */
  burstSeconds: number;
  /** Base-rate seconds between the end of a burst and the start of the next. @default 150 */
  quietSeconds: number;
  /** Base-rate seconds before the first burst. @default 40 */
  firstBurstAfterSeconds: number;
}

export const DEFAULT_TRAFFIC_SCHEDULE: Readonly<TrafficSchedule> = Object.freeze({
  baseRate: 4,
  burstRate: 25,
  burstSeconds: 70,
  quietSeconds: 150,
  firstBurstAfterSeconds: 40,
});

/** True when second `second` (0-based) falls inside a burst. */
export function inBurst(schedule: TrafficSchedule, second: number): boolean {
  if (schedule.burstSeconds <= 0 || second < schedule.firstBurstAfterSeconds) return false;
  const period = schedule.burstSeconds + schedule.quietSeconds;
  return (second - schedule.firstBurstAfterSeconds) % period < schedule.burstSeconds;
}

/** The rate, lines per second, during second `second`. */
export function rateAt(schedule: TrafficSchedule, second: number): number {
  return inBurst(schedule, second) ? schedule.burstRate : schedule.baseRate;
}

/** Lines the schedule asks for, unrounded, in the first `seconds` whole seconds. */
function scheduledUntil(schedule: TrafficSchedule, seconds: number): number {
  const { baseRate, burstRate, burstSeconds, quietSeconds, firstBurstAfterSeconds } = schedule;
  if (seconds <= firstBurstAfterSeconds || burstSeconds <= 0) return baseRate * seconds;
  const period = burstSeconds + quietSeconds;
  const sinceFirst = seconds - firstBurstAfterSeconds;
  const cycles = Math.floor(sinceFirst / period);
  const rest = sinceFirst - cycles * period;
  const burstPart = Math.min(rest, burstSeconds);
  return (
    baseRate * firstBurstAfterSeconds +
    cycles * (burstRate * burstSeconds + baseRate * quietSeconds) +
    burstRate * burstPart +
    baseRate * (rest - burstPart)
  );
}

/**
 * Whole lines written in the first `seconds` seconds. Fractional rates carry over from second to
 * second (a rate of 2.5 writes 2, 3, 2, 3, ...), so the count never drifts from the schedule.
 */
export function linesUntil(schedule: TrafficSchedule, seconds: number): number {
  // The epsilon absorbs float error such as 0.1 * 30 = 3.0000000000000004 vs 2.9999999999999996.
  return Math.floor(scheduledUntil(schedule, seconds) + 1e-9);
}

/** Whole lines written during second `second`. */
export function linesInSecond(schedule: TrafficSchedule, second: number): number {
  return linesUntil(schedule, second + 1) - linesUntil(schedule, second);
}

/**
 * Average lines per second over the `windowSeconds` seconds ending with second `second`
 * (seconds second-window+1 .. second; seconds before the start count as none).
 */
export function windowAverageAt(schedule: TrafficSchedule, second: number, windowSeconds: number): number {
  const from = Math.max(0, second + 1 - windowSeconds);
  return (linesUntil(schedule, second + 1) - linesUntil(schedule, from)) / windowSeconds;
}

export interface AlertCrossings {
  /** First second whose window average is above the threshold, undefined if none within the horizon. */
  firesAtSecond: number | undefined;
  /** First second after firing whose window average is back at or below the threshold. */
  recoversAtSecond: number | undefined;
}

export interface AlertCrossingOptions {
  /** @default 10 */
  thresholdRps?: number;
  /** @default 120 */
  windowSeconds?: number;
  /** Seconds to look at. @default 600 */
  horizonSeconds?: number;
}

/** When the high-traffic alert first fires and first recovers under `schedule`. */
export function alertCrossings(schedule: TrafficSchedule, options: AlertCrossingOptions = {}): AlertCrossings {
  const threshold = options.thresholdRps ?? 10;
  const window = options.windowSeconds ?? 120;
  const horizon = options.horizonSeconds ?? 600;
  let firesAtSecond: number | undefined;
  for (let s = 0; s < horizon; s++) {
    const average = windowAverageAt(schedule, s, window);
    if (firesAtSecond === undefined) {
      if (average > threshold) firesAtSecond = s;
    } else if (average <= threshold) {
      return { firesAtSecond, recoversAtSecond: s };
    }
  }
  return { firesAtSecond, recoversAtSecond: undefined };
}
