import type { Event } from '../model/event.js';
import type { EventConsumer } from '../pipeline/consumer.js';
import { SOURCE_SILENT_ALERT, sourceResumedMessage, sourceSilentMessage } from './alert_messages.js';
import type { AlertTransition } from './alert_transition.js';
import { resolveLivenessOptions } from './liveness_alert_options.js';
import type { LivenessAlertOptions, ResolvedLivenessOptions } from './liveness_alert_options.js';

interface Tracked {
  /** Wall time the source's last line arrived, epoch ms. */
  lastSeenMs: number;
  silent: boolean;
}

export interface LivenessAlertStats {
  /** Sources tracked now. */
  trackedSources: number;
  /** Of those, the ones declared silent and not heard from since. */
  silentSources: number;
  /** Sources forgotten to stay within `maxSources`. */
  forgottenSources: number;
  /** Events of retired sources, not tracked. */
  retiredEvents: number;
}

/**
 * Per-source liveness: "has this server stopped sending?". A source is learned from its first
 * event (a file's host, an OTLP or syslog sender) and declared silent at the first `tick()` that
 * finds no line of it arrived for strictly longer than `silenceMinutes` of wall time; its next
 * line resumes it. The clock is the wall clock (when lines arrive), not the lines' own times: an
 * old log read now is a live source, and a server whose clock is wrong is still heard. This is
 * what `logpulse_source_last_event_timestamp_seconds` (the time the last event was received)
 * tells the SourceSilent rule, which compares it with `time()` the same way.
 *
 * A live-mode feature: a batch import (`run --once`) runs no liveness evaluator. Sources are
 * kept in the order they were last heard from, so `tick()` stops at the first one heard from
 * recently and a new source beyond `maxSources` replaces the one heard from longest ago.
 */
export class LivenessAlert implements EventConsumer {
  private readonly options: ResolvedLivenessOptions;
  private readonly onTransition: (transition: AlertTransition) => void;
  private readonly now: () => number;
  /** By source; iteration order is the order of last arrival, oldest first. */
  private readonly sources = new Map<string, Tracked>();
  private forgottenSources = 0;
  private retiredEvents = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: LivenessAlertOptions = {}) {
    this.options = resolveLivenessOptions(options);
    this.onTransition = options.onTransition ?? (() => {});
    this.now = options.now ?? Date.now;
  }

  consume(events: readonly Event[]): void {
    if (events.length === 0) return;
    const wallMs = this.now();
    // A batch comes from one source as a rule: each run of one source is one update.
    let source: string | undefined;
    for (const event of events) {
      if (event.source === source) continue;
      source = event.source;
      this.heard(source, wallMs);
    }
  }

  /** Declares silent every source not heard from for longer than the threshold. */
  tick(): void {
    const wallMs = this.now();
    for (const [source, tracked] of this.sources) {
      const quietMs = wallMs - tracked.lastSeenMs;
      // Oldest arrival first: once one source is recent enough, all the later ones are too.
      if (quietMs <= this.options.silenceMs) break;
      if (tracked.silent) continue;
      tracked.silent = true;
      const at = wholeSecond(wallMs);
      this.emit(source, 'firing', quietMs / 1000, at, sourceSilentMessage(source, this.options.silenceMinutes));
    }
  }

  /** Calls `tick()` every `tickIntervalMs` from an unref'ed timer. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.tick(), this.options.tickIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer. Idempotent. */
  shutdown(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  get stats(): LivenessAlertStats {
    let silentSources = 0;
    for (const tracked of this.sources.values()) if (tracked.silent) silentSources += 1;
    return { trackedSources: this.sources.size, silentSources, forgottenSources: this.forgottenSources, retiredEvents: this.retiredEvents };
  }

  private heard(source: string, wallMs: number): void {
    if (this.options.retired.has(source)) {
      this.retiredEvents += 1;
      return;
    }
    const tracked = this.sources.get(source);
    if (tracked === undefined) {
      if (this.sources.size >= this.options.maxSources) this.forgetOldest();
      this.sources.set(source, { lastSeenMs: wallMs, silent: false });
      return;
    }
    // Moved to the end: the map stays in order of last arrival.
    this.sources.delete(source);
    this.sources.set(source, tracked);
    if (tracked.silent) {
      tracked.silent = false;
      const at = wholeSecond(wallMs);
      this.emit(source, 'resolved', (wallMs - tracked.lastSeenMs) / 1000, at, sourceResumedMessage(source, at));
    }
    if (wallMs > tracked.lastSeenMs) tracked.lastSeenMs = wallMs;
  }

  private forgetOldest(): void {
    for (const source of this.sources.keys()) {
      this.sources.delete(source);
      this.forgottenSources += 1;
      return;
    }
  }

  private emit(source: string, state: AlertTransition['state'], value: number, at: number, message: string): void {
    this.onTransition({
      alert: SOURCE_SILENT_ALERT,
      source,
      state,
      value,
      at,
      thresholdRps: 0,
      windowSeconds: this.options.silenceMs / 1000,
      message,
    });
  }
}

function wholeSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
