import { describe, expect, it } from 'vitest';
import type { AlertTransition } from '../../src/alerts/index.js';
import { TrafficAlert } from '../../src/alerts/index.js';
import type { Event } from '../../src/model/event.js';
import { T0, hit, prng } from './traffic.js';

/** `seconds` of bursts and lulls for one file: `peak` req/s at most during a burst, phase-shifted by `shift`. */
function fileTimeline(file: string, seconds: number, peak: number, shift: number, seed: number, from = T0): Event[] {
  const random = prng(seed);
  const events: Event[] = [];
  for (let s = 0; s < seconds; s += 1) {
    const inBurst = Math.floor((s + shift) / 90) % 2 === 0;
    const rps = Math.floor(random() * (inBurst ? peak : peak / 5));
    for (let i = 0; i < rps; i += 1) events.push(hit((from + s) * 1000 + Math.floor(random() * 1000), { file }));
  }
  return events.sort((a, b) => a.ts - b.ts);
}

/** The transitions of `events` read as one time-ordered file. */
function reference(events: readonly Event[]): AlertTransition[] {
  const transitions: AlertTransition[] = [];
  const merged = [...events].sort((a, b) => a.ts - b.ts).map((e) => ({ ...e, file: '/var/log/nginx/merged.log' }));
  const alert = new TrafficAlert({ windowSeconds: 30, now: () => (T0 + 3600) * 1000, onTransition: (t) => transitions.push(t) });
  alert.consume(merged);
  alert.finish();
  return transitions;
}

/**
 * Two files followed at once, delivered as the file source does: a turn of up to 8 batches of
 * 100 lines from each file in its turn, the wall clock moving 20 ms a batch.
 */
function interleaved(files: ReadonlyArray<readonly Event[]>, alert: TrafficAlert, wall: { ms: number }): void {
  const at = files.map(() => 0);
  while (files.some((events, f) => at[f]! < events.length)) {
    files.forEach((events, f) => {
      for (let batch = 0; batch < 8 && at[f]! < events.length; batch += 1) {
        alert.consume(events.slice(at[f], at[f]! + 100));
        at[f] = at[f]! + 100;
        wall.ms += 20;
      }
    });
  }
}

describe('traffic alert over files read at once', () => {
  it('gives two files followed at once the alerts of their lines merged in time order', () => {
    // The busy file covers ~15 s per turn, the quiet one ~90 s: they drift a minute apart.
    const busy = fileTimeline('/var/log/nginx/access.log', 1200, 60, 0, 3);
    const quiet = fileTimeline('/var/log/nginx/other_vhosts_access.log', 1200, 12, 45, 5);
    const expected = reference([...busy, ...quiet]);
    expect(expected.length).toBeGreaterThanOrEqual(6);

    const wall = { ms: (T0 + 1300) * 1000 };
    const transitions: AlertTransition[] = [];
    // As the receiver runs it: both files get their first turn before anything is evaluated.
    const alert = new TrafficAlert({ windowSeconds: 30, startupGraceMs: 5000, now: () => wall.ms, onTransition: (t) => transitions.push(t) });
    interleaved([busy, quiet], alert, wall);
    alert.finish();
    expect(transitions).toEqual(expected);
    expect(alert.stats).toMatchObject({ countedEvents: busy.length + quiet.length, lateEvents: 0 });
  });

  it('gives a batch import the alerts of one time-ordered file whatever order its files are read in', () => {
    // Three consecutive copies of one log, 10 minutes each.
    const days = [2, 1, 0].map((d, i) => fileTimeline(`/var/log/nginx/access.log.${d}`, 600, 40, i * 30, 11 + i, T0 + i * 600));
    const expected = reference(days.flat());
    expect(expected.length).toBeGreaterThanOrEqual(4);
    const transitions: AlertTransition[] = [];
    const alert = new TrafficAlert({ windowSeconds: 30, batch: true, now: () => (T0 + 3600) * 1000, onTransition: (t) => transitions.push(t) });
    // Newest first, one whole file after the other: the order that lost a rotated folder's alerts.
    for (const events of [...days].reverse()) alert.consume(events);
    expect(transitions).toEqual([]);
    alert.finish();
    expect(transitions).toEqual(expected);
    expect(alert.stats.lateEvents).toBe(0);
  });

  it('stops waiting for a file that went quiet, and forgets it', () => {
    const wall = { ms: T0 * 1000 };
    const transitions: AlertTransition[] = [];
    const alert = new TrafficAlert({ windowSeconds: 10, idleStreamMs: 5000, now: () => wall.ms, onTransition: (t) => transitions.push(t) });
    alert.consume([hit(T0 * 1000, { file: '/logs/quiet.log' })]);
    // The busy file runs at 20 req/s; the quiet one holds evaluation back while it may still deliver.
    for (let s = 0; s < 30; s += 1) {
      wall.ms = (T0 + s + 1) * 1000;
      const second: Event[] = [];
      for (let i = 0; i < 20; i += 1) second.push(hit((T0 + s) * 1000 + i * 50, { file: '/logs/busy.log' }));
      alert.consume(second);
      if (s === 4) expect(alert.stats.evaluatedThroughMs).toBe((T0 - 3) * 1000);
    }
    // From 5 s after its only line, the quiet file no longer counts: the burst (with the quiet
    // file's line, 101 hits in the 10 s of T0+4) fired at T0+4.
    expect(transitions.map((t) => [t.state, t.at / 1000 - T0])).toEqual([['firing', 4]]);
    expect(alert.stats.evaluatedThroughMs).toBe((T0 + 26) * 1000);
  });

  it('keeps a batch import of more event time than it may hold to a bounded memory', () => {
    const alert = new TrafficAlert({ windowSeconds: 10, batch: true, holdSeconds: 7200, now: () => (T0 + 40 * 86_400) * 1000 });
    // One line a minute for 30 days: only the last two hours stay open.
    for (let m = 0; m < 30 * 1440; m += 1) alert.consume([hit((T0 + m * 60) * 1000)]);
    expect(alert.stats.evaluatedThroughMs).toBe((T0 + (30 * 1440 - 1) * 60 - 7200) * 1000);
    alert.finish();
    expect(alert.stats).toMatchObject({ countedEvents: 30 * 1440, lateEvents: 0 });
  });
});
