import { DEMO_FORMATS, type DemoFormat } from './line_generator.js';
import { DEFAULT_TRAFFIC_SCHEDULE, type TrafficSchedule } from './traffic_schedule.js';

/** Options of `runDemo`: the live demo that appends lines to a file in real time. */
export interface DemoOptions {
  /** File the lines are appended to; its folder is created when missing. */
  output: string;
  /** Log format written. @default 'combined' */
  format?: DemoFormat;
  /** Lines per second outside bursts. @default 4 */
  rate?: number;
  /** Lines per second during a burst. @default 25 */
  burstRate?: number;
  /** Length of each burst, whole seconds; 0 for a steady rate. @default 70 */
  burstSeconds?: number;
  /** Base-rate seconds between two bursts. @default 150 */
  quietSeconds?: number;
  /** Base-rate seconds before the first burst. @default 40 */
  firstBurstAfterSeconds?: number;
  /** Stops by itself after this many seconds. @default undefined (runs until stopped or aborted) */
  durationSeconds?: number;
  /** Seed of the generated content (timestamps are the wall clock). @default 1 */
  seed?: number;
  /** Writes per second: each second's lines are spread over this many appends. @default 4 */
  writesPerSecond?: number;
  /** Stops the demo when aborted. */
  signal?: AbortSignal;
}

/** The defaults of every optional `DemoOptions` field; with them the alert fires at 82 s and recovers at 196 s. */
export const DEMO_DEFAULTS = Object.freeze({
  format: 'combined' as DemoFormat,
  rate: DEFAULT_TRAFFIC_SCHEDULE.baseRate,
  burstRate: DEFAULT_TRAFFIC_SCHEDULE.burstRate,
  burstSeconds: DEFAULT_TRAFFIC_SCHEDULE.burstSeconds,
  quietSeconds: DEFAULT_TRAFFIC_SCHEDULE.quietSeconds,
  firstBurstAfterSeconds: DEFAULT_TRAFFIC_SCHEDULE.firstBurstAfterSeconds,
  seed: 1,
  writesPerSecond: 4,
});

export interface ResolvedDemoOptions {
  output: string;
  format: DemoFormat;
  schedule: TrafficSchedule;
  durationSeconds: number | undefined;
  seed: number;
  writesPerSecond: number;
  signal: AbortSignal | undefined;
}

/** Options the demo cannot run with; the message names the option, the value and what was expected. */
export class DemoOptionsError extends Error {
  override readonly name = 'DemoOptionsError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(`demo: ${message}`, options);
  }
}

function check(ok: boolean, key: string, expected: string, value: unknown): void {
  if (!ok) throw new DemoOptionsError(`${key}: expected ${expected}, got ${JSON.stringify(value) ?? String(value)}`);
}

function isCount(value: number): boolean {
  return Number.isInteger(value) && value >= 0;
}

function isRate(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

/** Fills in the defaults and checks every option; throws `DemoOptionsError` on the first bad one. */
export function resolveDemoOptions(options: DemoOptions): ResolvedDemoOptions {
  const format = options.format ?? DEMO_DEFAULTS.format;
  const rate = options.rate ?? DEMO_DEFAULTS.rate;
  const burstRate = options.burstRate ?? DEMO_DEFAULTS.burstRate;
  const burstSeconds = options.burstSeconds ?? DEMO_DEFAULTS.burstSeconds;
  const quietSeconds = options.quietSeconds ?? DEMO_DEFAULTS.quietSeconds;
  const firstBurstAfterSeconds = options.firstBurstAfterSeconds ?? DEMO_DEFAULTS.firstBurstAfterSeconds;
  const seed = options.seed ?? DEMO_DEFAULTS.seed;
  const writesPerSecond = options.writesPerSecond ?? DEMO_DEFAULTS.writesPerSecond;
  const { durationSeconds } = options;

  check(typeof options.output === 'string' && options.output.length > 0, 'output', 'a file path', options.output);
  check(DEMO_FORMATS.includes(format), 'format', `one of ${DEMO_FORMATS.join(', ')}`, format);
  check(isRate(rate), 'rate', 'a non-negative number of lines per second', rate);
  check(isRate(burstRate), 'burst_rate', 'a non-negative number of lines per second', burstRate);
  check(isCount(burstSeconds), 'burst_seconds', 'a whole number of seconds, 0 or more', burstSeconds);
  check(isCount(quietSeconds), 'quiet_seconds', 'a whole number of seconds, 0 or more', quietSeconds);
  check(isCount(firstBurstAfterSeconds), 'first_burst_after_seconds', 'a whole number of seconds, 0 or more', firstBurstAfterSeconds);
  check(
    durationSeconds === undefined || (Number.isFinite(durationSeconds) && durationSeconds > 0),
    'duration_seconds',
    'a positive number of seconds',
    durationSeconds,
  );
  check(Number.isSafeInteger(seed), 'seed', 'an integer', seed);
  check(Number.isInteger(writesPerSecond) && writesPerSecond >= 1 && writesPerSecond <= 100, 'writes_per_second', 'an integer from 1 to 100', writesPerSecond);

  return {
    output: options.output,
    format,
    schedule: { baseRate: rate, burstRate, burstSeconds, quietSeconds, firstBurstAfterSeconds },
    durationSeconds,
    seed,
    writesPerSecond,
    signal: options.signal,
  };
}
