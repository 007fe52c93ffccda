import type { AlertTransition } from './alert_transition.js';
import { AlertConfigError } from './errors.js';

export interface LivenessAlertOptions {
  /**
   * A source is silent once no line of it has arrived for longer than this, in minutes of wall
   * time (fractions allowed: 0.5 is 30 seconds). @default 5
   */
  silenceMinutes?: number;
  /** Sources never tracked nor alerted on (servers taken out of service). @default [] */
  retiredSources?: readonly string[];
  /**
   * Most sources tracked at once. Sources are learned from the data, so a new one beyond the
   * bound makes the evaluator forget the one heard from longest ago. @default 10000
   */
  maxSources?: number;
  /** Called for each silence and resumption. @default nothing */
  onTransition?: (transition: AlertTransition) => void;
  /** The wall clock, epoch milliseconds. @default Date.now */
  now?: () => number;
  /** How often `start()` calls `tick()`. @default 1000 */
  tickIntervalMs?: number;
}

export interface ResolvedLivenessOptions {
  silenceMs: number;
  silenceMinutes: number;
  retired: ReadonlySet<string>;
  maxSources: number;
  tickIntervalMs: number;
}

/** The options with their defaults, checked: a value out of range fails with its key and what was expected. */
export function resolveLivenessOptions(options: LivenessAlertOptions): ResolvedLivenessOptions {
  const silenceMinutes = options.silenceMinutes ?? 5;
  const maxSources = options.maxSources ?? 10_000;
  const tickIntervalMs = options.tickIntervalMs ?? 1000;
  if (!(Number.isFinite(silenceMinutes) && silenceMinutes > 0)) {
    throw new AlertConfigError('silenceMinutes', 'a positive number of minutes', options.silenceMinutes, 'silence alert');
  }
  if (!(Number.isInteger(maxSources) && maxSources > 0)) {
    throw new AlertConfigError('maxSources', 'a positive whole number of sources', options.maxSources, 'silence alert');
  }
  if (!(Number.isFinite(tickIntervalMs) && tickIntervalMs > 0)) {
    throw new AlertConfigError('tickIntervalMs', 'a positive number of milliseconds', options.tickIntervalMs, 'silence alert');
  }
  return {
    silenceMs: silenceMinutes * 60_000,
    silenceMinutes,
    retired: new Set(options.retiredSources ?? []),
    maxSources,
    tickIntervalMs,
  };
}
